import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import { eraseContact } from '../../core/log/erase-contact.js';
import { phoneForms } from '../../core/log/erasure/phone-forms.js';
import { queueMessage } from '../../core/outbox/queue-message.js';
import { createImport, createImportWorker, startImport } from '../../engine/people/index.js';
import { claimDue, settleSent } from '../../ingest/whatsapp/sender-outbox.js';
import { type BigQueryExport, createBigQueryExport } from '../../warehouse/bigquery/bigquery-export.js';
import { mirrorDir } from '../../warehouse/bigquery/testing/compare-rows.js';
import { submitControlRequest } from '../../warehouse/duckdb/control-requests.js';
import { type Mirror, startMirror } from '../../warehouse/duckdb/mirror.js';
import { verifyWarehouse } from '../../warehouse/duckdb/verify.js';
import { warehouseTables } from '../../warehouse/tables/warehouse-tables.js';
import { startFakeBigQuery } from '../fakes/fake-bigquery/fake-bigquery.js';
import { postSigned, testChannel, webhookApp } from '../fixtures/whatsapp/webhook-app.js';
import { envelope, statusWebhook } from '../fixtures/whatsapp/webhook-bodies.js';
import { createTestDatabase } from '../setup/test-database.js';

/**
 * Erasure reaches every copy: a person's phone, name, custom field, label and every message text
 * (text, caption, location, button and list replies, an outbound message) go through ingest,
 * the log, the DuckDB mirror, a Parquet export and a BigQuery export. After eraseContact and
 * each mirror's next run, no column of any table in Postgres, DuckDB, the Parquet files or
 * BigQuery holds any of them; every row is still there, and verify finds no difference.
 */
const database = await createTestDatabase({ max: 6 });
const dir = await mirrorDir();
const lakeDir = join(dir.path, 'lake');
const token = 'fake-bq-token';
const fake = await startFakeBigQuery({ token });
const channel = testChannel();
const app = await webhookApp(database, [channel]);
const mirror: Mirror = await startMirror({ databaseUrl: database.url, dataDir: dir.path, pageSize: 50 });
const lakeReader = await (await DuckDBInstance.create(':memory:')).connect();
let bigQuery: BigQueryExport | undefined;
afterAll(async () => {
  await bigQuery?.stop();
  await mirror.stop();
  await app.close();
  await fake.close();
  lakeReader.closeSync();
  await dir.remove();
});

const phone = '254722918273';
const name = 'Achieng Odhiambo';
const secrets = {
  phone,
  name,
  text: 'my bleeding started today',
  caption: 'scan of my baby',
  place: 'Kibera South Clinic',
  latitude: '-1.3127',
  buttonReply: 'Book my ultrasound',
  templateButton: 'Yes remind me please',
  customField: 'Nyakach-West-77',
  label: 'expecting-twins',
  outbound: 'Hello Achieng, see you Tuesday',
};

/** A wamid as WhatsApp makes them: base64 of a header, the number's digits and a tail. */
const wamidOf = (n: number) =>
  `wamid.${Buffer.from(`\u001c\u0018\u000c${phone}\u0015\u0002\u0000\u0012\u0018\u0014E${n}ABCDEF`, 'latin1').toString('base64')}`;
const wamids = [1, 2, 3, 4, 5, 6, 7, 8].map(wamidOf);
/** The number in every form it may take (digits, E.164, base64 inside a wamid), and the wamids. */
const identifiers: Record<string, string> = Object.fromEntries([
  ...phoneForms(phone).map((form, i) => [`phone form ${i}`, form]),
  ...wamids.map((wamid, i) => [`wamid ${i + 1}`, wamid]),
]);

const messagesOf = (list: Record<string, unknown>[]) =>
  JSON.stringify(envelope({ contacts: [{ profile: { name }, wa_id: phone }], messages: list }));
const at = (i: number) => String(Math.floor(Date.now() / 1000) - 600 + i);

async function ingestPerson() {
  const inbound = [
    { id: wamids[0], type: 'text', text: { body: secrets.text } },
    {
      id: wamids[1],
      type: 'image',
      image: { id: 'media-77', mime_type: 'image/jpeg', sha256: 'abc', caption: secrets.caption },
    },
    {
      id: wamids[2],
      type: 'location',
      location: {
        latitude: Number(secrets.latitude),
        longitude: 36.79,
        name: secrets.place,
        address: 'Nairobi',
      },
    },
    {
      id: wamids[3],
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'book', title: secrets.buttonReply } },
    },
    { id: wamids[4], type: 'button', button: { payload: 'remind-yes', text: secrets.templateButton } },
  ];
  for (const [i, m] of inbound.entries()) {
    const response = await postSigned(app, channel, messagesOf([{ from: phone, timestamp: at(i), ...m }]));
    expect(response.statusCode).toBe(200);
  }
  // A body part that matches no schema is kept raw (with the number and name) as webhook.unrecognised.
  const odd = JSON.stringify(
    envelope({
      contacts: [{ profile: { name }, wa_id: phone }],
      messages: [{ from: phone, id: wamids[5], timestamp: at(6), type: 'text', text: 'not an object' }],
    }),
  );
  expect((await postSigned(app, channel, odd)).json()).toMatchObject({ unrecognised: 1 });
  // A status of a message Parley never sent keeps the recipient's number and wamid.
  const stray = statusWebhook({ id: wamids[6], status: 'delivered', timestamp: at(7), recipient_id: phone });
  expect((await postSigned(app, channel, stray)).json()).toMatchObject({ statuses: 1 });
  const { db } = database;
  const contact = await db
    .selectFrom('contacts')
    .select('id')
    .where('wa_id', '=', phone)
    .executeTakeFirstOrThrow();
  // A profile change as the people pages make it: state and contact.updated in one transaction.
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('contacts')
      .set({
        labels: [secrets.label],
        fields: JSON.stringify({ district: secrets.customField }),
        timezone: 'Africa/Nairobi',
      })
      .where('id', '=', contact.id)
      .execute();
    await append(tx, [
      {
        type: 'contact.updated',
        source: 'api',
        channel: 'whatsapp',
        contact_id: contact.id,
        payload: {
          changes: {
            labels: { from: [], to: [secrets.label] },
            district: { from: null, to: secrets.customField },
            timezone: { from: null, to: 'Africa/Nairobi' },
            opt_in: { from: 'unknown', to: 'opted_in' },
          },
          by: 'user:1',
        },
      },
    ]);
    await queueMessage(tx, {
      channel: 'whatsapp',
      contact_id: contact.id,
      message: { type: 'text', body: 'Your visit is booked' },
    });
  });
  // The sender sends it: WhatsApp answers with a wamid that encodes the number.
  const [claimed] = await claimDue(db, 'whatsapp', 1, 60_000);
  await settleSent(db, claimed!, wamids[7]!);
  await db.transaction().execute(async (tx) => {
    await queueMessage(tx, {
      channel: 'whatsapp',
      contact_id: contact.id,
      message: { type: 'text', body: secrets.outbound },
    });
  });
  await importPerson();
  return contact.id;
}

/** A CSV import that names the person twice (the second line is a duplicate, quoted in its error). */
async function importPerson() {
  const csv = `phone,name\n+${phone},${name}\n0${phone.slice(3)},${name}\n`;
  const upload = await createImport(database.db, {
    bytes: Buffer.from(csv),
    fileName: 'people.csv',
    channel: 'whatsapp',
    by: 'user:1',
  });
  await startImport(database.db, upload.id, {
    mapping: { phone: 'phone', name: 'name' },
    mode: 'both',
    defaultCountry: 'KE',
  });
  const worker = createImportWorker({ db: database.db, pollIntervalMs: 20 });
  await worker.start();
  for (;;) {
    const row = await database.db
      .selectFrom('contact_imports')
      .select('status')
      .where('id', '=', upload.id)
      .executeTakeFirstOrThrow();
    if (row.status === 'done') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await worker.stop();
  const errors = await database.db.selectFrom('contact_import_errors').select('reason').execute();
  expect(errors).toEqual([{ reason: `duplicate phone +${phone}: already on line 2` }]);
}

const textOf = (columns: readonly { name: string }[]) =>
  columns.map((c) => `coalesce("${c.name}"::VARCHAR, '')`).join(` || '|' || `);

/** Every place that holds one of the secrets, as `store.table: secret`. */
async function whereSecretsAre(): Promise<string[]> {
  const found: string[] = [];
  const check = (store: string, table: string, text: string) => {
    for (const [key, value] of Object.entries({ ...secrets, ...identifiers }))
      if (text.includes(value)) found.push(`${store}.${table}: ${key}`);
  };
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
    order by table_name`.execute(database.db);
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ t: string }>`select t::text as t from ${sql.table(table_name)} t`.execute(
      database.db,
    );
    check('postgres', table_name, rows.rows.map((r) => r.t).join('\n'));
  }
  for (const table of warehouseTables) {
    const rows = await mirror.query(`SELECT ${textOf(table.columns)} AS t FROM "${table.name}"`);
    check('duckdb', table.name, rows.map((r) => String(r.t)).join('\n'));
    const files = await parquetFiles(table.name);
    for (const file of files) {
      const reader = await lakeReader.runAndReadAll(
        `SELECT ${textOf(table.columns)} AS t FROM read_parquet('${file}', hive_partitioning = false)`,
      );
      check(
        'parquet',
        table.name,
        reader
          .getRowsJson()
          .map((r) => String(r[0]))
          .join('\n'),
      );
    }
    const inBigQuery = await fake.rows(`SELECT ${textOf(table.columns)} AS t FROM \`parley.${table.name}\``);
    check('bigquery', table.name, inBigQuery.map((r) => String(r.t)).join('\n'));
  }
  check('parquet', '_manifest.json', await readFile(join(lakeDir, '_manifest.json'), 'utf8'));
  return [...new Set(found)];
}

async function parquetFiles(table: string): Promise<string[]> {
  const root = join(lakeDir, table);
  const partitions = await readdir(root).catch(() => [] as string[]);
  const files: string[] = [];
  for (const p of partitions) for (const f of await readdir(join(root, p))) files.push(join(root, p, f));
  return files;
}

async function counts() {
  const rows: Record<string, string> = {};
  for (const table of warehouseTables) {
    const [row] = await mirror.query(`SELECT count(*)::VARCHAR AS n FROM "${table.name}"`);
    rows[table.name] = String(row!.n);
  }
  return rows;
}

async function runEveryMirror() {
  await mirror.drain();
  const exported = await submitControlRequest(dir.path, { command: 'export-parquet', dir: lakeDir });
  expect(exported.ok).toBe(true);
  bigQuery ??= await createBigQueryExport({
    db: database.db,
    reader: mirror,
    target: {
      projectId: 'parley-test',
      datasetId: 'parley',
      location: 'EU',
      apiEndpoint: fake.url,
      accessToken: token,
    },
    minLoadIntervalMs: 0,
  });
  await bigQuery.drain();
}

it('after an erasure no table of Postgres, DuckDB, Parquet or BigQuery holds the person, and every count stays', async () => {
  const contactId = await ingestPerson();
  await runEveryMirror();
  const everywhere = await whereSecretsAre();
  // The data really went everywhere first (a scan that finds nothing proves nothing).
  for (const store of ['postgres', 'duckdb', 'parquet', 'bigquery'])
    for (const key of [
      'phone',
      'name',
      'text',
      'caption',
      'place',
      'buttonReply',
      'customField',
      'label',
      'phone form 2',
      'wamid 1',
    ])
      expect(everywhere, `${store} ${key}`).toContainEqual(
        expect.stringMatching(new RegExp(`^${store}\\..*: ${key}$`)),
      );
  const before = await counts();
  expect(before.messages).toBe('7');
  // The import's stored file and its error, and the unattributed events, hold the number too.
  for (const place of [
    'postgres.contact_import_rows: phone form 1',
    'postgres.contact_import_errors: phone form 1',
    'postgres.contact_import_phones: phone',
    'duckdb.events_raw: name',
    'duckdb.message_statuses: phone',
  ])
    expect(everywhere).toContain(place);

  const erased = await eraseContact(database.db, { contactId, by: 'user:1', reason: 'DPR-2026-17' });
  expect(erased).toMatchObject({ status: 'erased', cancelledMessages: 1 });
  await runEveryMirror();

  expect(await whereSecretsAre()).toEqual([]);
  // Same rows; the log gained contact.erased and the failure of the send that was pending.
  expect(await counts()).toEqual({
    ...before,
    message_statuses: String(Number(before.message_statuses) + 1),
    events_raw: String(Number(before.events_raw) + 2),
  });
  const [contact] = await mirror.query(
    `SELECT wa_id, name, opt_in, labels::VARCHAR AS labels, custom_fields::VARCHAR AS custom_fields,
       erased_at IS NOT NULL AS erased FROM contacts WHERE contact_id = ${contactId}`,
  );
  expect(contact).toEqual({
    wa_id: null,
    name: null,
    opt_in: 'opted_in',
    labels: '[]',
    custom_fields: '{}',
    erased: true,
  });
  const verified = await verifyWarehouse({ databaseUrl: database.url, dataDir: dir.path });
  expect(verified.tables.filter((t) => !t.equal)).toEqual([]);
  expect(verified.equal).toBe(true);

  // Meta redelivers an old message of the person: still a duplicate, no new person.
  const people = await database.db.selectFrom('contacts').select('id').execute();
  const retried = await postSigned(
    app,
    channel,
    messagesOf([
      { from: phone, timestamp: at(0), id: wamids[0], type: 'text', text: { body: secrets.text } },
    ]),
  );
  expect(retried.json()).toEqual({ messages: 0, statuses: 0, updates: 0, unrecognised: 0, duplicates: 1 });
  expect(await database.db.selectFrom('contacts').select('id').execute()).toEqual(people);
  // A late status of the message sent before the erasure still finds it, and keeps no number.
  const late = statusWebhook({ id: wamids[7], status: 'read', timestamp: at(20), recipient_id: phone });
  expect((await postSigned(app, channel, late)).json()).toMatchObject({ statuses: 1, duplicates: 0 });
  expect((await postSigned(app, channel, late)).json()).toMatchObject({ statuses: 0, duplicates: 1 });
  const sent = await database.db
    .selectFrom('messages')
    .select(['id', 'status'])
    .where('contact_id', '=', contactId)
    .where('direction', '=', 'outbound')
    .where('status', '!=', 'failed')
    .executeTakeFirstOrThrow();
  expect(sent.status).toBe('read');
  const lateEvent = await database.db
    .selectFrom('events')
    .select(['contact_id', 'payload'])
    .where('type', '=', 'message.status')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  expect(lateEvent).toEqual({
    contact_id: contactId,
    payload: {
      message_id: sent.id,
      external_id: expect.stringMatching(/^hmac:wamid:[0-9a-f]{32}$/),
      status: 'read',
      timestamp: expect.any(String),
    },
  });
  await runEveryMirror();
  expect(await whereSecretsAre()).toEqual([]);
  const again = await verifyWarehouse({ databaseUrl: database.url, dataDir: dir.path });
  expect(again.tables.filter((t) => !t.equal)).toEqual([]);
}, 240_000);
