import { migrate } from '../app.factory';
import { loadConfig } from '../config/app-config';

/** `npm run migrate`: brings the schema up to date (the panel also does this at start). */
migrate(loadConfig())
  .then((applied) =>
    process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'schema is up to date\n'),
  )
  .catch((error: Error) => {
    process.stderr.write(`migration failed: ${error.message}\n`);
    process.exit(1);
  });
