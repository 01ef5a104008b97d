import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { migrate } from '../app.factory';
import { loadConfig } from '../config/app-config';
import { ProjectionRebuilder } from '../modules/events/projection-rebuilder.service';

/** `npm run rebuild-projections`: replays the event log into fresh read models (e.g. after a restore). */
async function main(): Promise<void> {
  const config = loadConfig();
  await migrate(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config }), { bufferLogs: true });
  try {
    const { events } = await app.get(ProjectionRebuilder).rebuild();
    process.stdout.write(`rebuilt every projection from ${events} events\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`rebuild failed: ${error.message}\n`);
  process.exit(1);
});
