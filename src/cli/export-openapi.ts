import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/app-config';
import { createOpenApiDocument } from '../openapi';

/**
 * `npm run openapi`: writes the panel's OpenAPI document to a file (packages/client/openapi.json), from which the
 * typed client is generated. The panel only assembles its routes once its modules start, so this starts one against
 * a scratch database on the configured server, and drops that database afterwards.
 */
async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new Error('usage: export-openapi <output.json>');
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/wgfleet');
  const scratch = `wgfleet_openapi_${randomBytes(4).toString('hex')}`;
  const databaseUrl = Object.assign(new URL(server), { pathname: `/${scratch}` }).toString();
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    PANEL_ADMIN_TOKEN: randomBytes(32).toString('hex'),
    PANEL_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'error',
  });
  const app = await createApp(config);
  try {
    await app.init();
    writeFileSync(target, JSON.stringify(createOpenApiDocument(app), null, 2) + '\n');
  } finally {
    await app.close();
    const admin = new Client({
      connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).toString(),
    });
    await admin.connect();
    await admin.query(`drop database if exists "${scratch}" with (force)`).finally(() => admin.end());
  }
}

main().catch((error: Error) => {
  process.stderr.write(`export-openapi failed: ${error.message}\n`);
  process.exit(1);
});
