// `npm run migrate`: applies pending migrations and exits. Uses DATABASE_URL, or the
// embedded Postgres in PARLEY_DATA_DIR when it is unset (the zero-configuration database).
import { ConfigError, loadConfig } from '../config.js';
import { createDatabase } from './database.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { migrate } from './migrate.js';

try {
  const config = loadConfig();
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort });
  const database = createDatabase(config.databaseUrl ?? embedded!.url, { max: 1 });
  try {
    const status = await migrate(database.pool);
    const latest = status.applied.at(-1);
    console.log(
      `migrations applied: ${status.applied.length}${latest ? ` (latest ${latest.version}_${latest.name})` : ''}`,
    );
  } finally {
    await database.close();
    await embedded?.stop();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : (error as Error).message);
  process.exit(1);
}
