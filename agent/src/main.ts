import { buildApp, createLogger } from './app';
import { ConfigError, loadConfig, type AgentConfig } from './config';
import { runEnroll } from './enroll';
import { WgDriver } from './wg/wg-driver';

function readConfig(): AgentConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`wgfleet-agent: ${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const app = buildApp(config, new WgDriver(), { logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error({ err: error.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const url = await app.listen({ host: config.host, port: config.port });
  logger.info({ url, tls: config.tls !== null, interfaces: config.interfaces }, 'wgfleet agent ready');
}

if (process.argv[2] === 'enroll') {
  void runEnroll(process.argv.slice(3)).then((code) => process.exit(code));
} else {
  main().catch((error: Error) => {
    process.stderr.write(`wgfleet-agent: ${error.message}\n`);
    process.exit(1);
  });
}
