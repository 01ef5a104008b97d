import { DynamicModule, INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';

export const ADMIN_TOKEN = 'test-admin-token-' + 'x'.repeat(32);
export const SECRET_KEY = Buffer.alloc(32, 42).toString('base64');
const SERVER_URL = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

export interface TestPanel {
  app: INestApplication;
  config: AppConfig;
  databaseUrl: string;
  /** Everything the panel logged, for secret-leak checks. */
  logs: () => string;
  http: () => ReturnType<typeof request>;
  /** Authorised request helpers with the bootstrap admin token. */
  as: (token?: string) => {
    get: (url: string) => request.Test;
    post: (url: string, body?: object) => request.Test;
    patch: (url: string, body?: object) => request.Test;
    put: (url: string, body?: object) => request.Test;
    delete: (url: string) => request.Test;
  };
  close: () => Promise<void>;
}

/** A fresh database name per panel, so test files never see each other's data. */
export function testDatabaseUrl(): string {
  return `${SERVER_URL}/wgfleet_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PANEL_ADMIN_TOKEN: ADMIN_TOKEN,
    PANEL_SECRET_KEY: SECRET_KEY,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'info',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // Tests change nodes behind the panel's back and read drift at once: every live read scans, unless a test
    // sets an interval to check the coalescing itself.
    DRIFT_LIVE_MIN_INTERVAL_S: '0',
    ...overrides,
  };
}

/**
 * Starts a complete panel (real PostgreSQL and Redis) on a random port with its own database.
 * `env` overrides configuration; pass DATABASE_URL to share a database between two panels. `imports` adds
 * a test's own modules (a session authenticator).
 */
export async function startPanel(
  env: Record<string, string> = {},
  imports: DynamicModule[] = [],
): Promise<TestPanel> {
  const databaseUrl = env.DATABASE_URL ?? testDatabaseUrl();
  const ownsDatabase = env.DATABASE_URL === undefined;
  const config = loadConfig(testEnv({ DATABASE_URL: databaseUrl, ...env }));
  let captured = '';
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      captured += chunk.toString();
      done();
    },
  });
  const app = await createApp(config, { logStream, imports });
  // A given PORT is kept (a test that must know the panel's URL before it starts); otherwise any free port.
  await app.listen(env.PORT ? config.port : 0, '127.0.0.1');
  const server = app.getHttpServer();
  const as = (token = ADMIN_TOKEN) => {
    const auth = (test: request.Test) => test.set('Authorization', `Bearer ${token}`);
    return {
      get: (url: string) => auth(request(server).get(url)),
      post: (url: string, body?: object) => auth(request(server).post(url)).send(body),
      patch: (url: string, body?: object) => auth(request(server).patch(url)).send(body),
      put: (url: string, body?: object) => auth(request(server).put(url)).send(body),
      delete: (url: string) => auth(request(server).delete(url)),
    };
  };
  return {
    app,
    config,
    databaseUrl,
    logs: () => captured,
    http: () => request(server),
    as,
    close: async () => {
      await app.close();
      if (ownsDatabase) await dropDatabase(databaseUrl);
    },
  };
}
