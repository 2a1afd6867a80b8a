import { afterAll, describe, expect, it } from 'vitest';
import { startFakeBigQuery } from '../../test/fakes/fake-bigquery/fake-bigquery.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { type Mirror, startMirror } from '../duckdb/mirror.js';
import { eventsRaw } from '../tables/events-raw.js';
import type { WarehouseTable } from '../tables/table-definition.js';
import { warehouseTable, warehouseTables } from '../tables/warehouse-tables.js';
import { insertHistory } from '../testing/log-writer.js';
import { randomHistory } from '../testing/random-history.js';
import { bigQueryClient } from './bigquery-client.js';
import { type BigQueryExport, createBigQueryExport } from './bigquery-export.js';
import { startExportRebuild } from './export-cursors.js';
import { loadJobId } from './load-job-id.js';
import { comparableSql, mirrorDir } from './testing/compare-rows.js';

const database = await createTestDatabase({ max: 4 });
const token = 'fake-bq-token';
const fake = await startFakeBigQuery({ token });
const dir = await mirrorDir();
const mirror: Mirror = await startMirror({ databaseUrl: database.url, dataDir: dir.path, pageSize: 97 });
const exports: BigQueryExport[] = [];
afterAll(async () => {
  for (const e of exports) await e.stop();
  await mirror.stop();
  await fake.close();
  await dir.remove();
});

const target = (datasetId: string) => ({
  projectId: 'parley-test',
  datasetId,
  location: 'EU',
  apiEndpoint: fake.url,
  accessToken: token,
});

async function exporter(datasetId: string, extra: Partial<Parameters<typeof createBigQueryExport>[0]> = {}) {
  const e = await createBigQueryExport({
    db: database.db,
    reader: mirror,
    target: target(datasetId),
    minLoadIntervalMs: 0,
    maxPositionsPerLoad: 250,
    ...extra,
  });
  exports.push(e);
  return e;
}

/** BigQuery's rows of a table (latest view for state tables) equal the DuckDB mirror's. */
async function expectSameRows(datasetId: string, table: WarehouseTable) {
  const source =
    table.kind === 'state'
      ? `\`parley-test.${datasetId}.${table.name}_latest\``
      : `\`parley-test.${datasetId}.${table.name}\``;
  const inBigQuery = await fake.rows(comparableSql(table, source));
  const inMirror = await mirror.query(comparableSql(table, table.name));
  expect(inBigQuery).toEqual(inMirror);
  return inMirror.length;
}

const history = [...randomHistory({ seed: 5, events: 900 })];

describe('BigQuery export through the real client to the fake BigQuery', () => {
  it('creates partitioned, clustered, described tables and loads rows equal to the mirror', async () => {
    await insertHistory(database.pool, history.slice(0, 600));
    await mirror.drain();
    const e = await exporter('parley');
    await e.drain();

    const messages = fake.tables.get('parley.messages')!;
    expect(messages.timePartitioning).toEqual({ type: 'DAY', field: 'created_at' });
    expect(messages.clustering).toEqual({ fields: ['contact_id'] });
    expect(messages.schema.fields.map((f) => [f.name, f.description])).toEqual(
      warehouseTable('messages').columns.map((c) => [c.name, c.description]),
    );
    expect(fake.tables.get('parley.contacts_latest')?.type).toBe('VIEW');

    for (const table of warehouseTables) await expectSameRows('parley', table);
    const log = await database.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
    expect(log.rows[0]!.n).toBe('600');

    // Job ids derive from dataset, table and position range: three batches of at most 250.
    const rawJobs = [...fake.jobs.keys()].filter((id) => id.startsWith('parley_parley_events_raw_'));
    expect(rawJobs).toEqual([
      loadJobId({ datasetId: 'parley', table: 'events_raw', fromPosition: 0n, toPosition: 250n, attempt: 0 }),
      loadJobId({
        datasetId: 'parley',
        table: 'events_raw',
        fromPosition: 250n,
        toPosition: 500n,
        attempt: 0,
      }),
      loadJobId({
        datasetId: 'parley',
        table: 'events_raw',
        fromPosition: 500n,
        toPosition: 600n,
        attempt: 0,
      }),
    ]);
    expect(rawJobs[0]).toBe('parley_parley_events_raw_0_250');

    // The real client's jobs.query reads the loaded rows.
    const client = bigQueryClient(target('parley'));
    const [rows] = await client.query(
      'SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM `parley-test.parley.events_raw`',
    );
    expect(rows).toEqual([{ n: 600, ids: 600 }]);

    const status = await e.status();
    expect(status).toMatchObject({ ok: true, lag_events: 0, lag_seconds: 0, last_error: null });
    expect(status.last_exported_event.log_position).toBe('600');
  });

  it('a crash between the load and the cursor commit, then a retry, leaves no duplicate', async () => {
    await insertHistory(database.pool, history.slice(600));
    await mirror.drain();
    const crashing = await exporter('parley', {
      afterLoad: (table) => {
        if (table === 'events_raw') throw new Error('simulated crash after load');
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow('simulated crash after load');
    const loadsBefore = fake.loadJobsToday('parley', 'events_raw');
    const pending = await crashing.status();
    expect(pending.tables.find((t) => t.table === 'events_raw')).toMatchObject({
      exported_position: '600',
      pending_to: '850',
    });

    // A new exporter (the restarted process) retries the same job id: 409, job checked, committed.
    const restarted = await exporter('parley');
    await restarted.drain();
    expect(fake.loadJobsToday('parley', 'events_raw')).toBe(loadsBefore + 1);
    for (const table of warehouseTables) await expectSameRows('parley', table);
    const [counts] = await fake.rows(
      'SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS ids FROM `parley.events_raw`',
    );
    expect(counts).toEqual({ n: 900, ids: 900 });
    expect((await restarted.status()).tables.every((t) => t.exported_position === '900')).toBe(true);
  });

  it('a column added to a definition is added to the BigQuery table and loads go on', async () => {
    // The dataset as an older release made it: events_raw without its `source` column.
    const older: WarehouseTable = {
      ...eventsRaw,
      columns: eventsRaw.columns.filter((c) => c.name !== 'source'),
    };
    const before = await exporter('evolving', { tables: [older], maxPositionsPerLoad: 400 });
    await before.runOnce();
    const now = await exporter('evolving', { tables: [eventsRaw], maxPositionsPerLoad: 400 });
    await now.drain();
    const fields = fake.tables.get('evolving.events_raw')!.schema.fields;
    expect(fields.at(-1)).toMatchObject({ name: 'source', mode: 'NULLABLE' });
    expect(fields.map((f) => f.name).sort()).toEqual(eventsRaw.columns.map((c) => c.name).sort());
    const rows = await fake.rows(
      'SELECT count(*)::INT AS n, count(source)::INT AS with_source, count(DISTINCT event_id)::INT AS ids FROM `evolving.events_raw`',
    );
    expect(rows).toEqual([{ n: 900, with_source: 500, ids: 900 }]);
  });

  it('the profile columns added to contacts (labels REPEATED, timezone, opt_in, erased_at) are added and loads go on', async () => {
    const contacts = warehouseTable('contacts');
    const added = ['timezone', 'opt_in', 'labels', 'erased_at'];
    const older: WarehouseTable = {
      ...contacts,
      columns: contacts.columns.filter((c) => !added.includes(c.name)),
    };
    await (await exporter('profiles', { tables: [older], maxPositionsPerLoad: 400 })).runOnce();
    await (await exporter('profiles', { tables: [contacts], maxPositionsPerLoad: 400 })).drain();
    const fields = fake.tables.get('profiles.contacts')!.schema.fields;
    expect(fields.slice(-4).map((f) => [f.name, f.type, f.mode])).toEqual([
      ['timezone', 'STRING', 'NULLABLE'],
      ['opt_in', 'STRING', 'NULLABLE'],
      ['labels', 'STRING', 'REPEATED'],
      ['erased_at', 'TIMESTAMP', 'NULLABLE'],
    ]);
    const loaded = await fake.rows(
      'SELECT count(*)::INT AS n, count(opt_in)::INT AS with_opt_in FROM `profiles.contacts`',
    );
    const [inMirror] = await mirror.query(
      'SELECT count(*)::INT AS n FROM contacts WHERE updated_log_position > 400',
    );
    expect(loaded).toEqual([{ n: expect.any(Number), with_opt_in: inMirror!.n }]);
    expect(inMirror!.n).toBeGreaterThan(0);
  });

  it('an erasure blanks the rows loaded before it by DML, exactly like the mirror, and a re-run changes nothing', async () => {
    const person = history.find((e) => e.type === 'message.received')!.contact_id!;
    const waId = `2547${String(person).padStart(8, '0')}`;
    const mentioning = async () => {
      const found: string[] = [];
      for (const table of warehouseTables) {
        const text = table.columns.map((c) => `coalesce("${c.name}"::VARCHAR, '')`).join(` || '|' || `);
        const [hit] = await fake.rows(
          `SELECT count(*)::INT AS n FROM \`parley.${table.name}\` WHERE (${text}) LIKE '%${waId}%'`,
        );
        if ((hit as { n: number }).n > 0) found.push(table.name);
      }
      return found;
    };
    expect(await mentioning()).toEqual(['messages', 'contacts', 'events_raw']);
    await insertHistory(database.pool, [
      {
        type: 'contact.erased',
        schema_version: 1,
        occurred_at: new Date('2026-11-30T00:00:00Z'),
        contact_id: person,
        channel: 'whatsapp',
        source: 'api',
        idempotency_key: null,
        payload: { by: 'system' },
      },
    ]);
    await mirror.drain();
    const e = await exporter('parley');
    await e.drain();
    expect(await mentioning()).toEqual([]);
    for (const table of warehouseTables) await expectSameRows('parley', table);
    const [counts] = await fake.rows('SELECT count(DISTINCT event_id)::INT AS ids FROM `parley.events_raw`');
    expect(counts).toEqual({ ids: 901 });
    // The DML is safe to repeat: blanking again leaves every row as it is.
    const client = bigQueryClient(target('parley'));
    await client.query({
      query:
        'UPDATE `parley-test.parley.messages` SET text = NULL WHERE contact_id = @contact_id AND updated_log_position < @position',
      params: { contact_id: person, position: 901 },
      types: { contact_id: 'INT64', position: 'INT64' },
    });
    for (const table of warehouseTables) await expectSameRows('parley', table);
  });

  it('a merge moves the rows loaded before it to the survivor and drops the merged person, by DML like the mirror', async () => {
    const erased = history.find((e) => e.type === 'message.received')!.contact_id!;
    const [merged, survivor] = [
      ...new Set(history.filter((e) => e.type === 'message.received').map((e) => e.contact_id!)),
    ]
      .filter((id) => id !== erased)
      .slice(0, 2);
    const count = async (table: string, id: number | string) => {
      const [row] = await fake.rows(
        `SELECT count(*)::INT AS n FROM \`parley.${table}\` WHERE contact_id = ${BigInt(id!)}`,
      );
      return (row as { n: number }).n;
    };
    expect(await count('messages', merged!)).toBeGreaterThan(0);
    expect(await count('contacts', merged!)).toBeGreaterThan(0);
    await insertHistory(database.pool, [
      {
        type: 'contact.merged',
        schema_version: 1,
        occurred_at: new Date('2026-11-30T01:00:00Z'),
        contact_id: survivor!,
        channel: 'whatsapp',
        source: 'whatsapp',
        idempotency_key: null,
        payload: { surviving_contact_id: survivor, merged_contact_id: merged, by: 'whatsapp' },
      },
    ]);
    await mirror.drain();
    await (await exporter('parley')).drain();
    // Every row BigQuery holds of the merged person, change rows of messages included, moved.
    for (const table of ['messages', 'message_statuses', 'charges', 'reminder_sends', 'contacts'])
      expect(await count(table, merged!), table).toBe(0);
    for (const table of warehouseTables) await expectSameRows('parley', table);
  });

  it('a rebuild empties every table and exports it again with new job ids: no row missing, none twice', async () => {
    // Damage BigQuery by hand first: a rebuild is how a data engineer repairs it.
    const client = bigQueryClient(target('parley'));
    await client.query({ query: 'DELETE FROM `parley-test.parley.messages` WHERE message_id % 2 = 0' });
    const jobsBefore = new Set(fake.jobs.keys());
    const generation = await startExportRebuild(
      database.db,
      'parley',
      warehouseTables.map((t) => t.name),
    );
    expect(generation).toBe(1);
    const e = await exporter('parley');
    await e.drain();
    for (const table of warehouseTables) await expectSameRows('parley', table);
    const [raw] = await fake.rows(
      'SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS ids FROM `parley.events_raw`',
    );
    expect(raw).toEqual({ n: 902, ids: 902 });
    const newJobs = [...fake.jobs.keys()].filter((id) => !jobsBefore.has(id));
    expect(newJobs.filter((id) => id.startsWith('parley_parley_g1_events_raw_0_'))).toHaveLength(1);
    expect(newJobs.filter((id) => id.startsWith('parley_parley_events_raw_'))).toEqual([]);
    const cursors = await database.db
      .selectFrom('bigquery_export_cursors')
      .select(['generation', 'truncate_pending'])
      .where('dataset', '=', 'parley')
      .distinct()
      .execute();
    expect(cursors).toEqual([{ generation: 1, truncate_pending: false }]);
  });
});
