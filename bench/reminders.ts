// `npm run bench -- reminders [--people N] [--rate R] [--json FILE]`
// A reminder to N people (default 100,000) sent through the outbox sender to the fake Graph API
// at R messages/s (default 1,000, Meta's upgraded per-number rate). Run 1: one process; achieved
// rate and its drift from R, time from scheduling to the first message, duplicates counted at
// the fake. Run 2: the reminder runner in a child process killed with SIGKILL half-way and
// restarted (the sender goes on in this process): still exactly N messages at the fake.
import { type ChildProcess, spawn } from 'node:child_process';
import { sql } from 'kysely';
import { createDatabase, type DatabaseHandle } from '../core/db/database.js';
import { migrate } from '../core/db/migrate.js';
import { createReminder, createReminderRunner, scheduleReminder } from '../engine/reminders/index.js';
import type { Channel } from '../ingest/channels.js';
import { type FakeGraphApi, startFakeGraphApi } from '../ingest/fake-graph-api/fake-graph-api.js';
import { createSender } from '../ingest/whatsapp/sender.js';
import { argument, writeBenchJson } from './_bench-json.js';
import { benchDatabase, printTable } from './_support.js';

export default async function remindersBench(args: string[]) {
  const people = Number(argument(args, '--people') ?? 100_000);
  const rate = Number(argument(args, '--rate') ?? 1000);
  const single = await run({ people, rate, kill: false });
  const killed = await run({ people, rate, kill: true });
  const metrics = {
    people,
    configured_rate: rate,
    achieved_rate: round(single.achievedRate),
    drift_percent: round(((single.achievedRate - rate) / rate) * 100),
    first_message_ms: round(single.firstMessageMs),
    duplicates: single.duplicates,
    received: single.received,
    killed_run_received_unique: killed.received - killed.duplicates,
    killed_run_duplicates: killed.duplicates,
    killed_run_queued_at_kill: killed.queuedAtKill,
  };
  printTable(
    `reminders: ${people} people at ${rate} messages/s`,
    Object.entries(metrics).map(([k, v]) => [k, String(v)]),
  );
  const met = await writeBenchJson(argument(args, '--json'), 'reminders', metrics, {
    drift_percent: { op: '>=', value: -10 },
    duplicates: { op: '==', value: 0 },
    received: { op: '==', value: people },
    killed_run_received_unique: { op: '==', value: people },
    killed_run_duplicates: { op: '==', value: 0 },
  });
  printTable(
    'targets met',
    Object.entries(met).map(([k, v]) => [k, v ? 'yes' : 'NO']),
  );
}

interface RunResult {
  achievedRate: number;
  firstMessageMs: number;
  received: number;
  duplicates: number;
  queuedAtKill: number;
}

async function run(options: { people: number; rate: number; kill: boolean }): Promise<RunResult> {
  const bench = await benchDatabase(options.kill ? 'reminders_kill' : 'reminders');
  const database = createDatabase(bench.url, { max: 10 });
  const fake = await startFakeGraphApi({ appSecret: 'bench', accessToken: 'bench-token', statusDelayMs: 0 });
  try {
    await migrate(database.pool);
    const channel: Channel = {
      name: 'whatsapp',
      kind: 'whatsapp',
      phoneNumberId: '1555',
      graphUrl: fake.url,
      apiVersion: 'v23.0',
      accessToken: 'bench-token',
      appSecret: 'bench',
      verifyToken: 'v',
      rateLimitPerSecond: options.rate,
      sendTimeoutMs: 15_000,
      webhookPath: '/webhooks/whatsapp',
    };
    const reminderId = await prepare(database, options.people);
    const sender = createSender({ db: database.db, databaseUrl: bench.url, channels: [channel] });
    await sender.start();
    const scheduledAt = performance.timeOrigin + performance.now();
    await database.db.transaction().execute((tx) => scheduleReminder(tx, reminderId, 'bench'));
    let queuedAtKill = 0;
    if (options.kill) {
      let child = startRunner(bench.url);
      await waitFor(async () => (await queued(database, reminderId)) >= options.people / 2, 600_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      queuedAtKill = await queued(database, reminderId);
      child = startRunner(bench.url);
      await waitFor(async () => sentTemplates(fake) >= options.people, 900_000);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    } else {
      const runner = createReminderRunner({
        db: database.db,
        messagingLimit: null,
        batchSize: 1000,
        intervalMs: 50,
      });
      runner.start();
      await waitFor(async () => sentTemplates(fake) >= options.people, 900_000);
      await runner.stop();
    }
    // Anything still in flight would show up as a duplicate: give it a moment.
    await new Promise((r) => setTimeout(r, 500));
    await sender.stop();
    const sends = fake.requests.filter((r) => r.status === 200 && isTemplate(r.body));
    const callbacks = new Set(
      sends.map((r) => (r.body as { biz_opaque_callback_data?: string }).biz_opaque_callback_data),
    );
    const times = sends.map((r) => r.at).sort((a, b) => a - b);
    const first = times[0] ?? Number.NaN;
    const last = times.at(-1) ?? Number.NaN;
    return {
      achievedRate: (sends.length - 1) / ((last - first) / 1000),
      firstMessageMs: first - scheduledAt,
      received: sends.length,
      duplicates: sends.length - callbacks.size,
      queuedAtKill,
    };
  } finally {
    await fake.stop();
    await database.close();
    await bench.drop();
  }
}

async function prepare(database: DatabaseHandle, people: number): Promise<string> {
  const ids: string[] = [];
  for (let i = 0; i < people; i += 50_000) {
    const rows = await sql<{ id: string }>`
      insert into contacts (channel, wa_id, name)
      select 'whatsapp', (27700000000 + g)::text, 'Person ' || g
      from generate_series(${i + 1}::int, ${Math.min(people, i + 50_000)}::int) g returning id`.execute(
      database.db,
    );
    ids.push(...rows.rows.map((r) => r.id));
  }
  const reminder = await database.db.transaction().execute((tx) =>
    createReminder(
      tx,
      {
        name: 'Bench',
        template: {
          name: 'bench_reminder',
          language: 'en',
          category: 'utility',
          body: [{ source: { from: 'name', fallback: 'there' } }],
        },
        audience: { contact_ids: ids },
        schedule: { kind: 'now' },
        options: {},
      },
      'bench',
    ),
  );
  return reminder.id;
}

function startRunner(url: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/reminder-worker.ts', url, '1000'], {
    stdio: 'ignore',
  });
}

async function queued(database: DatabaseHandle, reminderId: string): Promise<number> {
  const rows = await sql<{ n: string }>`
    select count(*)::text as n from reminder_recipients r join reminder_runs u on u.id = r.run_id
    where u.reminder_id = ${reminderId} and r.state = 'queued'`.execute(database.db);
  return Number(rows.rows[0]?.n ?? 0);
}

function sentTemplates(fake: FakeGraphApi): number {
  let n = 0;
  for (const r of fake.requests) if (r.status === 200 && isTemplate(r.body)) n++;
  return n;
}

function isTemplate(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { type?: string }).type === 'template';
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('benchmark did not finish in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
