import { mkdir, rm, stat } from 'node:fs/promises';

/**
 * Runs `work` while holding a lock directory (mkdir is atomic), so test files running in
 * parallel processes take turns. A lock older than 5 minutes is stale (a killed run left it).
 */
export async function withDirectoryLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 300_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
