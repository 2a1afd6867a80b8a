import type { Db } from '../../core/db/database.js';
import type { BigQueryTarget } from '../bigquery/bigquery-client.js';
import {
  type BigQueryVerifyResult,
  type MirrorChecksums,
  verifyBigQuery,
} from '../bigquery/verify-bigquery.js';
import { comparableChecksums } from '../duckdb/comparable-checksums.js';
import { submitControlRequest } from '../duckdb/control-requests.js';
import { openUnlessMirrored, warehousePath } from '../duckdb/warehouse-file.js';

/**
 * The BigQuery part of `npm run warehouse -- verify`: prints one line per table and returns
 * whether every compared table is equal. The mirror's side comes from its file, or from the
 * running mirror through a control request when the platform holds the file.
 */
export async function verifyBigQueryCommand(options: {
  db: Db;
  dataDir: string;
  target: BigQueryTarget;
}): Promise<BigQueryVerifyResult> {
  const result = await verifyBigQuery({
    db: options.db,
    target: options.target,
    mirror: mirrorChecksumsOf(options.dataDir),
  });
  console.log(`BigQuery dataset ${result.dataset}; mirror at log position ${result.mirror_position}`);
  console.log(
    `${'table'.padEnd(18)} ${'exported to'.padStart(12)} ${'mirror rows'.padStart(12)} ${'bigquery rows'.padStart(13)}  result`,
  );
  for (const t of result.tables) {
    const outcome = !t.compared
      ? 'not compared: export behind the mirror'
      : t.equal
        ? 'ok'
        : `DIFFERENT (checksums ${t.mirror.checksum} / ${t.bigquery?.checksum})`;
    console.log(
      `${t.table.padEnd(18)} ${t.exported_position.padStart(12)} ${String(t.mirror.rows).padStart(12)} ${String(t.bigquery?.rows ?? '-').padStart(13)}  ${outcome}`,
    );
  }
  const differences = result.tables.filter((t) => !t.equal).length;
  console.log(
    result.equal ? 'verify BigQuery: no difference' : `verify BigQuery: ${differences} table(s) differ`,
  );
  return result;
}

export function mirrorChecksumsOf(dataDir: string): MirrorChecksums {
  return async (exported) => {
    const instance = await openUnlessMirrored(warehousePath(dataDir));
    if (!instance) {
      const answer = await submitControlRequest(dataDir, { command: 'bigquery-checksums', exported });
      if (!answer.ok) throw new Error(`the running mirror could not compute checksums: ${answer.error}`);
      return answer.value as Awaited<ReturnType<MirrorChecksums>>;
    }
    const connection = await instance.connect();
    try {
      return await comparableChecksums(connection, exported);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  };
}
