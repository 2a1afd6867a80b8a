import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { submitControlRequest } from './control-requests.js';
import { type BatchInfo, copyLog, defaultPageSize } from './copy-log.js';
import { LogPageReader } from './log-page-reader.js';
import { openUnlessMirrored, openWarehouseFile, warehousePath } from './warehouse-file.js';

export interface RebuildResult {
  file: string;
  events: number;
  /** 'mirror': the running mirror swapped the file in; 'direct': no mirror held the file. */
  swappedBy: 'mirror' | 'direct';
}

/**
 * `npm run warehouse -- rebuild`: builds a new warehouse file from the whole log next to the
 * live one, then swaps it in atomically (rename). When a mirror holds the live file, the
 * mirror does the swap between two batches (control-requests.ts) and catches up from the
 * rebuilt file's cursor; otherwise this process does it while holding the file's lock.
 */
export async function rebuildWarehouse(options: {
  databaseUrl: string;
  dataDir: string;
  pageSize?: number;
  onBatch?: (batch: BatchInfo) => void;
}): Promise<RebuildResult> {
  const dataDir = resolve(options.dataDir);
  const target = join(dataDir, `warehouse.rebuild-${Date.now()}.duckdb`);
  const built = await openWarehouseFile(target);
  const reader = new LogPageReader(options.databaseUrl);
  let events: number;
  try {
    events = await copyLog(built.connection, reader, {
      pageSize: options.pageSize ?? defaultPageSize,
      tmpDir: join(dataDir, 'warehouse-tmp'),
      onBatch: options.onBatch,
    });
    await built.connection.run('CHECKPOINT');
  } catch (error) {
    built.close();
    await rm(target, { force: true });
    await rm(`${target}.wal`, { force: true });
    throw error;
  } finally {
    await reader.close();
  }
  built.close();
  const swappedBy = await swapIn(dataDir, target);
  return { file: warehousePath(dataDir), events, swappedBy };
}

async function swapIn(dataDir: string, target: string): Promise<'mirror' | 'direct'> {
  const live = warehousePath(dataDir);
  if (!existsSync(live)) {
    await rename(target, live);
    return 'direct';
  }
  // A read-only open takes DuckDB's shared lock: no mirror can open the file for writing
  // while we rename, and closing a read-only instance writes nothing.
  const holder = await openUnlessMirrored(live);
  if (!holder) {
    const result = await submitControlRequest(dataDir, { command: 'swap', file: target });
    if (!result.ok) throw new Error(`the running mirror could not swap the rebuilt file in: ${result.error}`);
    return 'mirror';
  }
  try {
    await rename(live, `${live}.replaced`);
    if (existsSync(`${live}.wal`)) await rename(`${live}.wal`, `${live}.replaced.wal`);
    await rename(target, live);
  } finally {
    holder.closeSync();
  }
  await rm(`${live}.replaced`, { force: true });
  await rm(`${live}.replaced.wal`, { force: true });
  return 'direct';
}
