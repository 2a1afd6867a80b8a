import { afterAll, describe, expect, it } from 'vitest';
import { startFakeBigQuery } from '../../test/fakes/fake-bigquery/fake-bigquery.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { mirrorChecksumsOf } from '../cli/verify-bigquery-command.js';
import { type Mirror, startMirror } from '../duckdb/mirror.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import { insertHistory } from '../testing/log-writer.js';
import { randomHistory } from '../testing/random-history.js';
import { createBigQueryExport } from './bigquery-export.js';
import { mirrorDir } from './testing/compare-rows.js';
import { verifyBigQuery } from './verify-bigquery.js';

const database = await createTestDatabase({ max: 4 });
const token = 'fake-bq-token';
const fake = await startFakeBigQuery({ token });
const dir = await mirrorDir();
const mirror: Mirror = await startMirror({ databaseUrl: database.url, dataDir: dir.path, pageSize: 113 });
const target = {
  projectId: 'parley-test',
  datasetId: 'verified',
  location: 'EU',
  apiEndpoint: fake.url,
  accessToken: token,
};
const exporter = await createBigQueryExport({
  db: database.db,
  reader: mirror,
  target,
  minLoadIntervalMs: 0,
  maxPositionsPerLoad: 250,
});
afterAll(async () => {
  await exporter.stop();
  await mirror.stop();
  await fake.close();
  await dir.remove();
});

// The running mirror answers through a control request, as it does for the CLI.
const verify = () => verifyBigQuery({ db: database.db, target, mirror: mirrorChecksumsOf(dir.path) });
const history = [...randomHistory({ seed: 11, events: 800 })];
const count = async (table: string) =>
  Number((await mirror.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

describe('verify compares BigQuery with the mirror through the real client', () => {
  it('finds no difference after an export, with every table compared at the mirror cursor', async () => {
    await insertHistory(database.pool, history.slice(0, 500));
    await mirror.drain();
    await exporter.drain();
    const result = await verify();
    expect(result.equal).toBe(true);
    expect(result.mirror_position).toBe('500');
    expect(result.tables.map((t) => t.table)).toEqual(warehouseTables.map((t) => t.name));
    for (const t of result.tables) {
      expect(t).toMatchObject({ exported_position: '500', compared: true, equal: true });
      expect(t.bigquery).toEqual(t.mirror);
      expect(t.mirror.rows).toBe(await count(t.table));
    }
    expect(result.tables.find((t) => t.table === 'events_raw')!.mirror.rows).toBe(500);
  });

  it('while the export is behind, compares log tables up to its cursor and skips state tables', async () => {
    await insertHistory(database.pool, history.slice(500));
    await mirror.drain();
    const result = await verify();
    expect(result.equal).toBe(true);
    expect(result.mirror_position).toBe('800');
    const raw = result.tables.find((t) => t.table === 'events_raw')!;
    expect(raw).toMatchObject({ exported_position: '500', compared: true, equal: true });
    expect(raw.mirror.rows).toBe(500);
    for (const t of result.tables.filter((t) =>
      ['contacts', 'messages', 'conversations'].includes(t.table),
    )) {
      expect(t).toMatchObject({ compared: false, bigquery: null, equal: true });
    }
  });

  it('reports a lost row and a changed value as differences', async () => {
    await exporter.drain();
    expect((await verify()).equal).toBe(true);
    await fake.rows('DELETE FROM `verified.events_raw` WHERE log_position = 17');
    await fake.rows(
      "UPDATE `verified.message_statuses` SET status = 'tampered' WHERE log_position = (SELECT min(log_position) FROM `verified.message_statuses`)",
    );
    const result = await verify();
    expect(result.equal).toBe(false);
    const differing = result.tables.filter((t) => !t.equal);
    expect(differing.map((t) => t.table).sort()).toEqual(['events_raw', 'message_statuses']);
    const raw = differing.find((t) => t.table === 'events_raw')!;
    expect(raw.mirror.rows).toBe(800);
    expect(raw.bigquery!.rows).toBe(799);
    const statuses = differing.find((t) => t.table === 'message_statuses')!;
    expect(statuses.bigquery!.rows).toBe(statuses.mirror.rows);
    expect(statuses.bigquery!.checksum).not.toBe(statuses.mirror.checksum);
  });
});
