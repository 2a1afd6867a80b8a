// `npm run bench -- import [--rows N] [--chunk C]`
// A CSV of N people (phone, name, 3 custom fields, labels) uploaded over HTTP to
// POST /v1/contacts/imports and imported end to end by the background worker
// (target: 100k rows in under 30 s). Baseline: a raw COPY of the same people
// into an identical contacts table, the floor for any import into Postgres.
import { from as copyFrom } from 'pg-copy-streams';
import { createApiToken } from '../api/auth/api-tokens.js';
import { registerApi } from '../api/register-api.js';
import { buildServer } from '../api/server.js';
import { createMember } from '../api/trpc/test-support.js';
import { createDatabase } from '../core/db/database.js';
import { migrate } from '../core/db/migrate.js';
import { createCustomField, createImportWorker, startImport } from '../engine/people/index.js';
import type { Channel } from '../ingest/channels.js';
import { benchDatabase, printTable } from './_support.js';

export default async function importBench(args: string[]) {
  const rows = Number(argument(args, '--rows') ?? 100_000);
  const chunkSize = Number(argument(args, '--chunk') ?? 1000);
  const bench = await benchDatabase('import');
  const database = createDatabase(bench.url, { max: 10 });
  await migrate(database.pool);
  const { db } = database;
  const system = { kind: 'system' as const, id: 'bench' };
  await createCustomField(db, system, {
    key: 'district',
    name: 'District',
    type: 'choice',
    options: ['north', 'south', 'east', 'west'].map((k) => ({ key: k, label: k })),
  });
  await createCustomField(db, system, { key: 'age', name: 'Age', type: 'number' });
  await createCustomField(db, system, { key: 'due_date', name: 'Due date', type: 'date' });
  const admin = await createMember(db, 'admin', 'bench@example.org');
  const token = (await createApiToken(db, admin.actor, { name: 'bench', scopes: ['contacts.write'] })).token;
  const channel = { name: 'whatsapp', kind: 'whatsapp' } as Channel;
  const app = await buildServer({
    config: { logLevel: 'silent' },
    database,
    routes: [
      (scope) =>
        registerApi(scope, {
          database,
          config: { publicUrl: undefined, allowLocalWebhooks: false },
          channels: [channel],
        }),
    ],
  });
  const port = await app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
    const address = app.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  });

  const districts = ['north', 'south', 'east', 'west'];
  const lines = ['phone,name,district,age,due_date,labels'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `+2773${String(i).padStart(7, '0')},Person ${i},${districts[i % 4]},${18 + (i % 60)},2026-0${(i % 9) + 1}-1${i % 10},pilot;wave ${i % 3}`,
    );
  }
  const csv = Buffer.from(`${lines.join('\n')}\n`);

  const worker = createImportWorker({ db, databaseUrl: bench.url, chunkSize, pollIntervalMs: 50 });
  await worker.start();
  const t0 = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/v1/contacts/imports?file_name=bench.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
  });
  const uploaded = (await response.json()) as { id: string; suggestedMapping: Record<string, string | null> };
  if (response.status !== 201) throw new Error(`upload failed: ${JSON.stringify(uploaded)}`);
  const t1 = performance.now();
  await startImport(db, uploaded.id, {
    mapping: uploaded.suggestedMapping,
    mode: 'both',
    defaultCountry: 'ZA',
  });
  let job = await db
    .selectFrom('contact_imports')
    .selectAll()
    .where('id', '=', uploaded.id)
    .executeTakeFirstOrThrow();
  while (job.status !== 'done' && job.status !== 'failed') {
    await new Promise((r) => setTimeout(r, 50));
    job = await db
      .selectFrom('contact_imports')
      .selectAll()
      .where('id', '=', uploaded.id)
      .executeTakeFirstOrThrow();
  }
  const t2 = performance.now();
  await worker.stop();
  await app.close();

  // Baseline: COPY of the same people into an identical table, no validation and no events.
  const client = await database.pool.connect();
  await client.query('create table contacts_copy (like contacts including defaults including identity)');
  const b0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(
      copyFrom('copy contacts_copy (channel, wa_id, name, labels, fields) from stdin'),
    );
    stream.on('finish', resolve);
    stream.on('error', reject);
    for (let i = 0; i < rows; i++) {
      const fields = JSON.stringify({
        district: districts[i % 4],
        age: 18 + (i % 60),
        due_date: `2026-0${(i % 9) + 1}-1${i % 10}`,
      });
      stream.write(
        `whatsapp\t2773${String(i).padStart(7, '0')}\tPerson ${i}\t{pilot,"wave ${i % 3}"}\t${fields}\n`,
      );
    }
    stream.end();
  });
  const b1 = performance.now();
  client.release();

  const total = (t2 - t0) / 1000;
  printTable(
    `CSV import of ${rows.toLocaleString('en')} rows (${(csv.length / 1024 / 1024).toFixed(1)} MB, chunks of ${chunkSize})`,
    [
      [
        'status',
        `${job.status} (created ${job.created_count}, updated ${job.updated_count}, invalid ${job.invalid_count})`,
      ],
      ['upload (HTTP, parse, store)', `${((t1 - t0) / 1000).toFixed(2)} s`],
      ['background job', `${((t2 - t1) / 1000).toFixed(2)} s`],
      ['end to end', `${total.toFixed(2)} s (target < 30 s)`],
      ['rows/s end to end', `${Math.round(rows / total).toLocaleString('en')}`],
      [
        'baseline: COPY, no events',
        `${((b1 - b0) / 1000).toFixed(2)} s (${Math.round(rows / ((b1 - b0) / 1000)).toLocaleString('en')} rows/s)`,
      ],
      ['import / baseline', `${(total / ((b1 - b0) / 1000)).toFixed(1)}×`],
    ],
  );
  await database.close();
  await bench.drop();
}

function argument(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
