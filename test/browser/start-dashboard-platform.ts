import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { ensureDashboardBuilt } from '../../api/dashboard-static.js';
import { type Platform, startPlatform } from '../../api/platform.js';
import { loadConfig } from '../../core/config.js';
import { createTestDatabase } from '../setup/test-database.js';
import { withDirectoryLock } from './directory-lock.js';

export const adminEmail = 'admin@example.org';
export const adminPassword = 'correct horse battery';
const root = join(import.meta.dirname, '..', '..');

/**
 * Builds the dashboard once per test run, whichever browser test file comes first: the others
 * wait for that build and reuse it. Each file forcing its own build swapped dist/dashboard
 * under platforms other files were serving from (and a platform starting in that moment found
 * no build and began a minute-long one of its own).
 */
async function dashboardBuiltForThisRun(): Promise<void> {
  const marker = join(root, 'dist', 'dashboard', `.built-for-${inject('pgTemplate')}`);
  if (existsSync(marker)) return;
  await mkdir(join(root, 'dist'), { recursive: true });
  await withDirectoryLock(join(root, 'dist', '.dashboard-build.lock'), async () => {
    if (existsSync(marker)) return;
    await ensureDashboardBuilt(root, { force: true });
    await writeFile(marker, '');
  });
}

/**
 * The real platform (as `npm start` runs it) on a fresh test database, with the first admin
 * created from PARLEY_ADMIN_EMAIL/PASSWORD and the dashboard freshly built.
 */
export async function startDashboardPlatform(
  options: { build?: boolean; admin?: boolean } = {},
): Promise<{ platform: Platform; logs: string[]; stop(): Promise<void> }> {
  // A fresh build of the sources under test; startPlatform then finds it in place.
  if (options.build !== false) await dashboardBuiltForThisRun();
  const { url } = await createTestDatabase({ max: 12 });
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-browser-'));
  const config = loadConfig({
    DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    PARLEY_DATA_DIR: dataDir,
    ...(options.admin === false
      ? {}
      : { PARLEY_ADMIN_EMAIL: adminEmail, PARLEY_ADMIN_PASSWORD: adminPassword }),
    PARLEY_ALLOW_LOCAL_WEBHOOKS: 'true',
    PARLEY_LOG_LEVEL: 'silent',
  });
  const logs: string[] = [];
  const platform = await startPlatform(config, {
    log: (line) => {
      logs.push(line);
      // A stop that hangs names the part it waits for: shown, so a timed-out test says which.
      if (line.startsWith('stopping:')) console.error(`[dashboard platform] ${line}`);
    },
  });
  return {
    platform,
    logs,
    async stop() {
      await platform.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
