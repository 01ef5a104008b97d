import { MikroORM } from '@mikro-orm/postgresql';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, AppModuleOptions, queuePrefix } from './app.module';
import { registerConsoleRoutes } from './console/console-routes';
import { BODY_LIMIT_BYTES, registerBodyParsers } from './common/http/body-parsing';
import { ErrorFilter } from './common/http/error.filter';
import { RequestLimits } from './common/auth/request-limits';
import { registerSecurityHeaders } from './common/http/security-headers';
import { RedisConnection } from './common/redis/redis.module';
import { createValidationPipe } from './common/http/validation';
import { AppConfig } from './config/app-config';
import { registerRequestIdHeader, requestIdOf } from './common/logging/logger';
import { mikroOrmOptions } from './mikro-orm.config';
import { createOpenApiDocument } from './openapi';
import { ensureDatabaseExists, runMigrations } from './database/migrate';

export type CreateAppOptions = Pick<AppModuleOptions, 'logStream' | 'imports'>;

/** Brings the schema up to date before any module starts, so nothing ever runs against an old schema. */
export async function migrate(config: AppConfig): Promise<string[]> {
  await ensureDatabaseExists(config.databaseUrl);
  const orm = await MikroORM.init({ ...mikroOrmOptions(config.databaseUrl), allowGlobalContext: true });
  try {
    return await runMigrations(orm);
  } finally {
    await orm.close();
  }
}

/** The whole panel, configured; used by main.ts and by the tests alike. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  await migrate(config);
  // Fastify rather than Express: NestJS's Express stack spends more CPU per request on this workload.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    // Path parameters are checked by name (a 400 naming `id`); Node's header limit already bounds a URL.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
    // request.ip is the client's address as a trusted proxy forwards it, and the peer's address otherwise.
    trustProxy: config.trustedProxies.length ? [...config.trustedProxies] : false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, ...options }),
    adapter,
    { bufferLogs: true, bodyParser: false },
  );
  const instance = app.getHttpAdapter().getInstance();
  registerBodyParsers(instance);
  registerSecurityHeaders(instance);
  registerRequestIdHeader(instance);
  // Counts are kept per database, like the queues: panels of one fleet share them, test panels never do.
  await app
    .get(RequestLimits)
    .register(instance, app.get(RedisConnection).client, `${queuePrefix(config.databaseUrl)}:rate-limit:`);
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter(adapter));
  app.enableShutdownHooks();
  await registerConsoleRoutes(app.getHttpAdapter().getInstance(), {
    warn: (message) => logger.warn(message, 'Console'),
  });
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
