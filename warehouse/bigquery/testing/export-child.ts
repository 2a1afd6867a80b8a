// The BigQuery export in its own process, for the kill -9 test (export-crash.test.ts).
// argv: JSON {databaseUrl, dataDir, apiEndpoint, token, datasetId, killAfterLoadOf?}. With
// killAfterLoadOf, the process SIGKILLs itself after BigQuery accepted that table's first
// load and before the cursor commit: the worst moment for exactly-once.
import { createDatabase } from '../../../core/db/database.js';
import { startMirror } from '../../duckdb/mirror.js';
import { createBigQueryExport } from '../bigquery-export.js';

const args = JSON.parse(process.argv[2]!) as {
  databaseUrl: string;
  dataDir: string;
  apiEndpoint: string;
  token: string;
  datasetId: string;
  killAfterLoadOf?: string;
};
const database = createDatabase(args.databaseUrl, { max: 2 });
const mirror = await startMirror({ databaseUrl: args.databaseUrl, dataDir: args.dataDir });
await mirror.drain();
const exporter = await createBigQueryExport({
  db: database.db,
  reader: mirror,
  target: {
    projectId: 'parley-test',
    datasetId: args.datasetId,
    location: 'EU',
    apiEndpoint: args.apiEndpoint,
    accessToken: args.token,
  },
  minLoadIntervalMs: 0,
  maxPositionsPerLoad: 300,
  afterLoad: (table, jobId) => {
    if (table !== args.killAfterLoadOf) return;
    process.stdout.write(`loaded ${jobId}\n`);
    process.kill(process.pid, 'SIGKILL');
  },
});
await exporter.drain();
process.stdout.write('drained\n');
await exporter.stop();
await mirror.stop();
await database.close();
process.exit(0);
