// A mirror in its own process, for the kill -9 test (warehouse/duckdb/crash.test.ts).
// argv: databaseUrl dataDir. Prints "batch <log position>" after each committed batch and
// "drained" once caught up; the test kills it with SIGKILL at random points.
import { startMirror } from '../duckdb/mirror.js';

const [databaseUrl, dataDir] = process.argv.slice(2) as [string, string];
const mirror = await startMirror({
  databaseUrl,
  dataDir,
  pageSize: () => 1 + Math.floor(Math.random() * 300),
  checkpointWalBytes: 256 * 1024,
  onBatch: (batch) => process.stdout.write(`batch ${batch.cursor.logPosition}\n`),
  onError: (error) => process.stderr.write(`mirror error: ${(error as Error).message}\n`),
});
await mirror.drain();
process.stdout.write('drained\n');
await mirror.stop();
process.exit(0);
