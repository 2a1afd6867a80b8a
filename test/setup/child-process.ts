import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface Child {
  child: ChildProcessWithoutNullStreams;
  /** Exit code, or the signal that ended it. */
  exit: Promise<number | string>;
  /** Resolves when the process prints "ready". */
  ready: Promise<void>;
}

/** Runs a TypeScript fixture in its own Node process (tsx), for multi-process and kill -9 tests. */
export function startFixture(file: string, args: readonly string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (d) => String(d).includes('ready') && resolve()),
  );
  const exit = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') console.error(stderr);
      resolve(code ?? signal ?? -1);
    }),
  );
  return { child, exit, ready };
}
