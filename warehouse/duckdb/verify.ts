import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { type TableChecksum, tableChecksums } from './checksums.js';
import { submitControlRequest } from './control-requests.js';
import { copyLog, defaultPageSize } from './copy-log.js';
import { LogPageReader } from './log-page-reader.js';
import { snapshotChecksums } from './mirror-control.js';
import { openUnlessMirrored, warehousePath } from './warehouse-file.js';
import { createWarehouseSchema, readCursor } from './warehouse-schema.js';

export interface TableComparison {
  table: string;
  mirror: TableChecksum;
  log: TableChecksum;
  equal: boolean;
}

export interface VerifyResult {
  /** The mirror's cursor; the log was transformed up to exactly this event. */
  cursor: { xid: string; eventId: string; logPosition: string };
  /** Events the fresh transform read (must equal the cursor's log position). */
  logEvents: number;
  tables: TableComparison[];
  equal: boolean;
}

type Snapshot = { cursor: VerifyResult['cursor']; tables: TableChecksum[] };

/**
 * `npm run warehouse -- verify`: recomputes every table from the log in a fresh in-memory
 * DuckDB (same transform, larger batches) up to the mirror's cursor, and compares row
 * counts and content checksums with the mirror's file.
 */
export async function verifyWarehouse(options: {
  databaseUrl: string;
  dataDir: string;
}): Promise<VerifyResult> {
  const dataDir = resolve(options.dataDir);
  const mirror = await mirrorSnapshot(dataDir);
  const instance = await DuckDBInstance.create(':memory:', {
    temp_directory: join(dataDir, 'warehouse-tmp', 'verify'),
  });
  const connection = await instance.connect();
  const reader = new LogPageReader(options.databaseUrl);
  try {
    await createWarehouseSchema(connection);
    const until = { xid: mirror.cursor.xid, id: mirror.cursor.eventId };
    if (mirror.cursor.logPosition !== '0') {
      await copyLog(connection, reader, {
        pageSize: defaultPageSize,
        tmpDir: join(dataDir, 'warehouse-tmp'),
        until,
      });
    }
    const fresh = await readCursor(connection);
    const log = await tableChecksums(connection);
    const tables = mirror.tables.map((m, i) => {
      const l = log[i]!;
      return { table: m.table, mirror: m, log: l, equal: m.rows === l.rows && m.checksum === l.checksum };
    });
    const logEvents = Number(fresh.logPosition);
    return {
      cursor: mirror.cursor,
      logEvents,
      tables,
      equal: tables.every((t) => t.equal) && String(fresh.logPosition) === mirror.cursor.logPosition,
    };
  } finally {
    await reader.close();
    connection.closeSync();
    instance.closeSync();
  }
}

async function mirrorSnapshot(dataDir: string): Promise<Snapshot> {
  const instance = await openUnlessMirrored(warehousePath(dataDir));
  if (!instance) {
    const result = await submitControlRequest(dataDir, { command: 'checksums' });
    if (!result.ok) throw new Error(`the running mirror could not compute checksums: ${result.error}`);
    return result.value as Snapshot;
  }
  try {
    return await snapshotChecksums(instance);
  } finally {
    instance.closeSync();
  }
}
