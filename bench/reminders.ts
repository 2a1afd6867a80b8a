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
  const fake = await startFakeProcess();
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
      await waitFor(async () => (await fake.stats()).templates >= options.people, 900_000);
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
      await waitFor(async () => (await fake.stats()).templates >= options.people, 900_000);
      await runner.stop();
    }
    // Anything still in flight would show up as a duplicate: give it a moment.
    await new Promise((r) => setTimeout(r, 500));
    await sender.stop();
    const received = await fake.stats();
    const first = received.first ?? Number.NaN;
    const last = received.last ?? Number.NaN;
    return {
      achievedRate: (received.templates - 1) / ((last - first) / 1000),
      firstMessageMs: first - scheduledAt,
      received: received.templates,
      duplicates: received.templates - received.unique,
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

interface FakeStats {
  templates: number;
  unique: number;
  first: number | null;
  last: number | null;
}

/**
 * The fake Graph API in its own process (test/fixtures/fake-graph-server.ts): Meta is another
 * machine, and a fake answering 1,000 requests a second on the sender's event loop slowed the
 * sender it was measuring.
 */
async function startFakeProcess(): Promise<{
  url: string;
  stats(): Promise<FakeStats>;
  stop(): Promise<void>;
}> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/fake-graph-server.ts', 'bench-token'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const started = await new Promise<{ url: string; stats: string }>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line && output.includes('\n')) resolve(JSON.parse(line) as { url: string; stats: string });
    });
    child.once('exit', (code) => reject(new Error(`the fake Graph API exited with ${code}`)));
  });
  return {
    url: started.url,
    stats: async () => (await (await fetch(`${started.stats}/stats`)).json()) as FakeStats,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('benchmark did not finish in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
