import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../core/config.js';
import { startEmbeddedPostgres } from '../../core/db/embedded-postgres.js';

export interface LogDatabase {
  url: string;
  /** How the CLI reached the log, for its first line of output. */
  how: 'DATABASE_URL' | 'running embedded Postgres' | 'embedded Postgres started by the CLI';
  stop(): Promise<void>;
}

/**
 * The log the CLI reads: DATABASE_URL when set. Without it the platform runs the embedded
 * Postgres in `<dataDir>/postgres`; if that server is running (the platform is up), the CLI
 * connects to it (port from postmaster.pid, password from postgres.secret); otherwise the CLI
 * starts the embedded server itself for the duration of the command.
 */
export async function openLogDatabase(config: Config): Promise<LogDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, how: 'DATABASE_URL', stop: async () => {} };
  const running = runningEmbedded(config.dataDir);
  if (running) return { url: running, how: 'running embedded Postgres', stop: async () => {} };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPostgresPort,
  });
  return { url: embedded.url, how: 'embedded Postgres started by the CLI', stop: () => embedded.stop() };
}

function runningEmbedded(dataDir: string): string | null {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  const secretFile = join(dataDir, 'postgres.secret');
  if (!existsSync(pidFile) || !existsSync(secretFile)) return null;
  // postmaster.pid: line 1 the pid, line 4 the port (https://www.postgresql.org/docs/current/storage-file-layout.html).
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  const password = readFileSync(secretFile, 'utf8').trim();
  return `postgresql://parley:${encodeURIComponent(password)}@127.0.0.1:${port}/parley`;
}
