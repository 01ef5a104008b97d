import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { migrate } from '../app.factory';
import { loadConfig } from '../config/app-config';
import { AuditCheckpoints } from '../modules/audit';

/**
 * `npm run audit-rotate-key`: retires the panel's checkpoint key (it still verifies what it signed) and makes a
 * new one, which signs a checkpoint of the current head at once (docs/AUDIT.md).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  await migrate(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config }), { bufferLogs: true });
  try {
    const checkpoints = app.get(AuditCheckpoints);
    const keyId = await checkpoints.rotateKey();
    await checkpoints.sealAndCheckpoint(true);
    process.stdout.write(`new audit signing key ${keyId}; its public key is listed at GET /api/audit/keys\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`rotation failed: ${error.message}\n`);
  process.exit(1);
});
