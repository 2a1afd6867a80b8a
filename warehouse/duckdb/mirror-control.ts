import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { exportParquet } from '../parquet/export-parquet.js';
import { tableChecksums } from './checksums.js';
import { comparableChecksums } from './comparable-checksums.js';
import { type ControlRequest, takeControlRequests } from './control-requests.js';
import type { ReaderPool } from './reader-pool.js';
import type { WarehouseFile } from './warehouse-file.js';
import { readCursor, warehouseVersion } from './warehouse-schema.js';

export interface MirrorControl {
  dataDir: string;
  path: string;
  readers: ReaderPool;
  getFile(): WarehouseFile | undefined;
  /** Closes the writer's file; the mirror reopens `path` with reopen() or on its next loop. */
  closeFile(): void;
  reopen(): Promise<void>;
}

/**
 * Answers the CLI's requests between batches, one at a time, so a swap never races a batch.
 * A swap closes the live file (readers first), renames the rebuilt file over it (rename is
 * atomic) and reopens; the mirror then catches up from the rebuilt file's cursor.
 */
export async function handleControlRequests(control: MirrorControl): Promise<void> {
  for (const pending of await takeControlRequests(control.dataDir)) {
    try {
      await pending.answer({ ok: true, value: await execute(control, pending.request) });
    } catch (error) {
      await pending.answer({ ok: false, error: (error as Error).message ?? String(error) });
    }
  }
}

async function execute(control: MirrorControl, request: ControlRequest): Promise<unknown> {
  const file = control.getFile();
  if (!file) throw new Error('the mirror has no open warehouse file');
  switch (request.command) {
    case 'checksums':
      return snapshotChecksums(file.instance);
    case 'bigquery-checksums': {
      const connection = await file.instance.connect();
      try {
        return await comparableChecksums(connection, request.exported);
      } finally {
        connection.closeSync();
      }
    }
    case 'export-parquet': {
      const connection = await file.instance.connect();
      try {
        return await exportParquet(connection, resolve(request.dir), warehouseVersion);
      } finally {
        connection.closeSync();
      }
    }
    case 'swap':
      return swap(control, file, request.file);
    default:
      throw new Error(`unknown request ${(request as { command: string }).command}`);
  }
}

/** Row counts and checksums with the cursor they correspond to, from one snapshot. */
export async function snapshotChecksums(instance: DuckDBInstance) {
  const connection = await instance.connect();
  try {
    await connection.run('BEGIN TRANSACTION');
    const cursor = await readCursor(connection);
    const tables = await tableChecksums(connection);
    await connection.run('COMMIT');
    return {
      cursor: { xid: cursor.xid, eventId: cursor.eventId, logPosition: String(cursor.logPosition) },
      tables,
    };
  } finally {
    connection.closeSync();
  }
}

async function swap(control: MirrorControl, file: WarehouseFile, replacement: string) {
  const source = resolve(replacement);
  if (
    dirname(source) !== dirname(control.path) ||
    !/^warehouse\.rebuild-[\w.-]+\.duckdb$/.test(basename(source))
  ) {
    throw new Error(`refusing to swap in ${source}: not a rebuilt warehouse file of this data directory`);
  }
  if (!existsSync(source)) throw new Error(`no file ${source}`);
  const resume = await control.readers.pause();
  try {
    await file.connection.run('CHECKPOINT');
    control.closeFile();
    const replaced = `${control.path}.replaced`;
    await rename(control.path, replaced);
    await rm(`${control.path}.wal`, { force: true });
    await rename(source, control.path);
    await rm(replaced, { force: true });
    await rm(`${replaced}.wal`, { force: true });
    await control.reopen();
    const cursor = await readCursor(control.getFile()!.connection);
    return { cursor: { xid: cursor.xid, eventId: cursor.eventId, logPosition: String(cursor.logPosition) } };
  } finally {
    resume();
  }
}
