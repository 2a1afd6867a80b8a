import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { createImport, startImport } from './contact-imports.js';

// kill -9 of the import worker in the middle of a 3,000-row import, then a restart: every
// valid row is applied exactly once (one contact.created and one contact.updated each),
// every invalid row is reported once, and the counts are exact.

const database = await createTestDatabase({ max: 6 });
const { db } = database;
const total = 3000;
const leaseMs = 1500;

function startWorker(): {
  child: ChildProcessWithoutNullStreams;
  exit: Promise<number | string>;
  ready: Promise<void>;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/import-worker.ts', database.url, '25', String(leaseMs)],
    {
      stdio: 'pipe',
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (d) => String(d).includes('ready') && resolve()),
  );
  const exit = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') console.error(stderr);
      resolve(code ?? signal ?? -1);
    }),
  );
  return { child, exit, ready };
}

async function progress(id: string) {
  return db.selectFrom('contact_imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('after kill -9 mid-import and a restart, every row is applied exactly once', async () => {
  // Every 50th row has an invalid phone: 60 invalid, 2,940 valid.
  const lines = ['phone,name,labels'];
  for (let i = 1; i <= total; i++)
    lines.push(i % 50 === 0 ? `0000,Bad ${i},x` : `+2772${String(i).padStart(7, '0')},Person ${i},crash`);
  const upload = await createImport(db, {
    bytes: Buffer.from(lines.join('\n')),
    fileName: 'crash.csv',
    channel: 'whatsapp',
    by: 'test',
  });
  await startImport(db, upload.id, {
    mapping: { phone: 'phone', name: 'name', labels: 'labels' },
    mode: 'both',
    defaultCountry: 'ZA',
  });

  const first = startWorker();
  await first.ready;
  await waitFor(async () => (await progress(upload.id)).processed_rows >= 500, 60_000);
  first.child.kill('SIGKILL');
  expect(await first.exit).toBe('SIGKILL');
  const atKill = await progress(upload.id);
  expect(atKill.status).toBe('running');
  expect(atKill.processed_rows).toBeLessThan(total);

  const second = startWorker();
  await second.ready;
  await waitFor(async () => (await progress(upload.id)).status === 'done', 120_000);
  second.child.kill('SIGTERM');
  expect(await second.exit).toBe(0);

  const done = await progress(upload.id);
  expect([
    done.processed_rows,
    done.created_count,
    done.updated_count,
    done.skipped_count,
    done.invalid_count,
  ]).toEqual([total, 2940, 0, 0, 60]);
  const counts = await sql<{ type: string; n: string; keys: string }>`
    select type, count(*) as n, count(distinct idempotency_key) as keys from events
    where source = 'import' group by type order by type`.execute(db);
  expect(counts.rows).toEqual([
    { type: 'contact.created', n: '2940', keys: '2940' },
    { type: 'contact.updated', n: '2940', keys: '2940' },
  ]);
  const people = await sql<{
    n: string;
  }>`select count(*) as n from contacts where labels = '{crash}'`.execute(db);
  expect(people.rows[0]!.n).toBe('2940');
  const errors = await db
    .selectFrom('contact_import_errors')
    .select('line')
    .where('import_id', '=', upload.id)
    .orderBy('line')
    .execute();
  expect(errors.map((e) => e.line)).toEqual(Array.from({ length: 60 }, (_, k) => (k + 1) * 50 + 1));
}, 180_000);
