import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { AuthGuard } from './common/auth/auth.guard';
import { CryptoModule } from './common/crypto/crypto.module';
import { RequestLimitsModule } from './common/auth/request-limits';
import { loggerParams } from './common/logging/logger';
import { bullConnection } from './common/redis/redis-options';
import { RedisModule } from './common/redis/redis.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { mikroOrmOptions } from './mikro-orm.config';
import { AccessModule } from './modules/access/access.module';
import { AuditModule } from './modules/audit/audit.module';
import { ClustersModule } from './modules/clusters/clusters.module';
import { ClusterHealthModule } from './modules/cluster-health/cluster-health.module';
import { AdoptionModule } from './modules/adoption/adoption.module';
import { DriftModule } from './modules/drift/drift.module';
import { EnrollmentsModule } from './modules/enrollments/enrollments.module';
import { EventsModule } from './modules/events/events.module';
import { ReactionsModule } from './common/reactions';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { NodesModule } from './modules/nodes/nodes.module';
import { TemplatesModule } from './modules/templates/templates.module';
import { LifecycleModule } from './modules/lifecycle/lifecycle.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { PeersModule } from './modules/peers/peers.module';
import { ReconcileModule } from './modules/reconcile/reconcile.module';
import { SelfServiceModule } from './modules/self-service/self-service.module';
import { SyncModule } from './modules/sync/sync.module';
import { TokensModule } from './modules/tokens/tokens.module';
import { UsersModule } from './modules/users/users.module';
import { SessionsModule } from './modules/sessions/sessions.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Where logs go (stdout by default); tests capture them to prove no secret is ever logged. */
  logStream?: DestinationStream;
  /** Modules a test adds to the panel (a test's own session authenticator); none in production. */
  imports?: DynamicModule[];
}

/** One BullMQ namespace per database: panels of one fleet share queues, test databases never do. */
export function queuePrefix(databaseUrl: string): string {
  return `wgfleet:${new URL(databaseUrl).pathname.slice(1) || 'default'}`;
}

@Module({})
export class AppModule {
  static forRoot({ config, logStream, imports = [] }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.logLevel, logStream)),
        // Every handler and job forks its own EntityManager, so no per-request context (and its fork) is made.
        MikroOrmModule.forRoot({ ...mikroOrmOptions(config.databaseUrl), registerRequestContext: false }),
        ScheduleModule.forRoot(),
        // Queue names are prefixed per database, so panels sharing a Redis but not a database stay apart.
        BullModule.forRoot({
          connection: bullConnection(config.redis),
          prefix: queuePrefix(config.databaseUrl),
        }),
        RedisModule,
        RequestLimitsModule,
        CryptoModule,
        ReactionsModule,
        EventsModule,
        UsersModule,
        SessionsModule,
        AccessModule,
        TokensModule,
        TemplatesModule,
        NodesModule,
        ClustersModule,
        PeersModule,
        HealthModule,
        DriftModule,
        MetricsModule,
        NotificationsModule,
        LifecycleModule,
        ReconcileModule,
        SyncModule,
        AdoptionModule,
        EnrollmentsModule,
        AuditModule,
        SelfServiceModule,
        ClusterHealthModule,
        ...imports,
      ],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}
