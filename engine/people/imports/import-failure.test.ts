import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { createImport, startImport } from './contact-imports.js';
import { createImportWorker } from './import-worker.js';

const { db } = await createTestDatabase();

it('a chunk that fails five times fails its import with the error; the chunks before it stay applied', async () => {
  // The database itself refuses one person (a trigger), as it would refuse a row it cannot take.
  await sql`
    create function refuse_person() returns trigger language plpgsql as $$
    begin
      if new.name = 'Refused' then raise exception 'refused by the database'; end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger refuse_person before insert on contacts
    for each row execute function refuse_person()`.execute(db);
  const lines = ['phone,name'];
  for (let i = 1; i <= 30; i++)
    lines.push(`+2773${String(i).padStart(7, '0')},${i === 25 ? 'Refused' : `P${i}`}`);
  const upload = await createImport(db, {
    bytes: Buffer.from(lines.join('\n')),
    fileName: 'refused.csv',
    channel: 'whatsapp',
    by: 'test',
  });
  await startImport(db, upload.id, {
    mapping: { phone: 'phone', name: 'name' },
    mode: 'both',
    defaultCountry: 'ZA',
  });
  const worker = createImportWorker({ db, chunkSize: 10, pollIntervalMs: 20 });
  await worker.start();
  const state = () =>
    db
      .selectFrom('contact_imports')
      .select(['status', 'processed_rows', 'created_count', 'error'])
      .where('id', '=', upload.id)
      .executeTakeFirstOrThrow();
  while ((await state()).status !== 'failed') await new Promise((r) => setTimeout(r, 20));
  await worker.stop();
  expect(await state()).toEqual({
    status: 'failed',
    processed_rows: 20,
    created_count: 20,
    error: 'refused by the database',
  });
  const chunks = await db
    .selectFrom('jobs')
    .select(['key', 'state', 'attempts'])
    .where('queue', '=', 'contact-import.chunk')
    .orderBy('id')
    .execute();
  expect(chunks).toEqual([
    { key: `${upload.id}:0`, state: 'done', attempts: 1 },
    { key: `${upload.id}:10`, state: 'done', attempts: 1 },
    { key: `${upload.id}:20`, state: 'dead', attempts: 5 },
  ]);
});
