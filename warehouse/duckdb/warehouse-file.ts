import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { createWarehouseSchema, storedVersion, warehouseVersion } from './warehouse-schema.js';

export interface WarehouseFile {
  path: string;
  instance: DuckDBInstance;
  /** The connection that writes: batches, cursor, checkpoints. */
  connection: DuckDBConnection;
  /** Whether the file was (re)created empty because it was missing or built by other definitions. */
  created: boolean;
  close(): void;
}

export interface WarehouseFileOptions {
  memoryLimit?: string;
  threads?: number;
}

/**
 * Files opened for writing by this process. DuckDB's file lock is per process, so a second
 * open in the same process would succeed: the CLI helpers check this set too.
 */
const writersInProcess = new Set<string>();

export function isOpenForWritingHere(path: string): boolean {
  return writersInProcess.has(resolve(path));
}

export function warehousePath(dataDir: string): string {
  return join(dataDir, 'warehouse.duckdb');
}

/**
 * Opens (or creates) a warehouse file for writing. DuckDB locks the file for this process;
 * a second process gets a "Could not set lock" error (see isLockError). Automatic
 * checkpoints are switched off: the mirror checkpoints itself, at moments when no sandboxed
 * reader holds an old view of the file (reader-pool.ts). A file whose stored version differs
 * from this code's definitions is deleted and rebuilt from the log: the warehouse is a
 * mirror, never migrated in place (DESIGN.md, principle 2).
 */
export async function openWarehouseFile(
  path: string,
  options: WarehouseFileOptions = {},
): Promise<WarehouseFile> {
  await mkdir(dirname(path), { recursive: true });
  const config: Record<string, string> = {
    memory_limit: options.memoryLimit ?? '2GB',
    temp_directory: `${path}.tmp`,
    wal_autocheckpoint: '1TB',
  };
  if (options.threads) config.threads = String(options.threads);
  let instance = await DuckDBInstance.create(path, config);
  let connection = await instance.connect();
  let created = false;
  const version = await storedVersion(connection);
  if (version !== warehouseVersion) {
    if (version !== null) {
      connection.closeSync();
      instance.closeSync();
      await removeWarehouseFile(path);
      instance = await DuckDBInstance.create(path, config);
      connection = await instance.connect();
    }
    await createWarehouseSchema(connection);
    await connection.run('CHECKPOINT');
    created = true;
  }
  const key = resolve(path);
  writersInProcess.add(key);
  return {
    path,
    instance,
    connection,
    created,
    close() {
      writersInProcess.delete(key);
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Opens a warehouse file read-only, for the CLI when no mirror holds it. */
export async function openWarehouseFileReadOnly(
  path: string,
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection; close(): void }> {
  if (!existsSync(path)) throw new Error(`no warehouse file at ${path}`);
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export async function removeWarehouseFile(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
  await rm(`${path}.tmp`, { recursive: true, force: true });
}

/** DuckDB's error when another process holds the file. */
export function isLockError(error: unknown): boolean {
  return /Could not set lock|Conflicting lock/i.test(String((error as Error)?.message ?? error));
}

/** Opens `path` read-only, or returns null when a mirror (here or in another process) writes it. */
export async function openUnlessMirrored(path: string): Promise<DuckDBInstance | null> {
  if (isOpenForWritingHere(path)) return null;
  try {
    return await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  } catch (error) {
    if (isLockError(error)) return null;
    throw error;
  }
}
