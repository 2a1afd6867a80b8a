import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../core/db/database.js';
import { createImport, startImport } from '../../engine/people/index.js';
import { sign } from '../fixtures/whatsapp/webhook-app.js';
import { textWebhook } from '../fixtures/whatsapp/webhook-bodies.js';

const root = join(import.meta.dirname, '..', '..');
const importRows = 20_000;

/** Starts `npm start`'s entry point with no DATABASE_URL, as a new user would. */
function startParley(
  dataDir: string,
  options: { env?: NodeJS.ProcessEnv; ownGroup?: boolean } = {},
): { child: ChildProcess; output: () => string; url: Promise<string> } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PARLEY_DATA_DIR: dataDir,
    PORT: '0',
    PARLEY_LOG_LEVEL: 'warn',
  };
  for (const name of Object.keys(env)) {
    if (name === 'DATABASE_URL' || name === 'TEST_DATABASE_URL' || name.startsWith('WHATSAPP_'))
      delete env[name];
  }
  Object.assign(env, options.env);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...(process.env.PG_TRACE ? ['--import', process.env.PG_TRACE] : []), 'api/main.ts'],
    // ownGroup: a process group of its own, like a shell's foreground job, so the test can
    // signal the whole group as a terminal's Ctrl-C does.
    { cwd: root, env, stdio: 'pipe', detached: options.ownGroup ?? false },
  );
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /Parley is running at (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before printing the URL:\n${output}`)));
  });
  return { child, output: () => output, url };
}

async function stopParley(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('zero-configuration start (npm start with no environment)', () => {
  let dataDir = '';
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts embedded Postgres, answers /health, stores a simulator message, stops cleanly and reuses its data', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-zero-config-'));
    const first = startParley(dataDir);
    const url = await first.url;
    const health = await waitFor(async () => {
      const response = await fetch(`${url}/health`);
      return response.status === 200
        ? ((await response.json()) as { status: string; migrations: { pending: unknown[] } })
        : undefined;
    }, '/health');
    expect(health.status).toBe('ok');
    expect(health.migrations.pending).toEqual([]);

    const sent = await fetch(`${url}/simulator/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '27820000001', name: 'Smoke Test', text: 'hello from the smoke test' }),
    });
    expect(sent.status).toBeLessThan(300);

    // Read the log directly in the embedded Postgres, whose port the platform printed.
    const port = Number(/Embedded Postgres running on port (\d+)/.exec(first.output())![1]);
    const password = (await readFile(join(dataDir, 'postgres.secret'), 'utf8')).trim();
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'parley', password, database: 'parley' });
    await client.connect();
    const received = await waitFor(async () => {
      const { rows } = await client.query<{ text: string; channel: string }>(
        `select payload->>'text' as text, channel from events where type = 'message.received'`,
      );
      return rows.length > 0 ? rows : undefined;
    }, 'the simulator message in events');
    await client.end();
    expect(received).toEqual([{ text: 'hello from the smoke test', channel: 'simulator' }]);

    const firstExit = await stopParley(first.child);
    expect(firstExit, first.output()).toBe(0);
    expect(first.output()).toContain('Parley stopped cleanly');

    // A second start reuses the data directory: the message is still there.
    const second = startParley(dataDir);
    const secondUrl = await second.url;
    await waitFor(
      async () => ((await fetch(`${secondUrl}/health`)).status === 200 ? true : undefined),
      'second /health',
    );
    const secondPort = Number(/Embedded Postgres running on port (\d+)/.exec(second.output())![1]);
    const again = new pg.Client({
      host: '127.0.0.1',
      port: secondPort,
      user: 'parley',
      password,
      database: 'parley',
    });
    await again.connect();
    const { rows } = await again.query<{ n: string }>(
      `select count(*) as n from events where type = 'message.received'`,
    );
    await again.end();
    expect(rows[0]!.n).toBe('1');
    const secondExit = await stopParley(second.child);
    expect(secondExit, second.output()).toBe(0);
  }, 120_000);

  it('Ctrl-C during a burst of webhooks and a CSV import: exit 0, stopped cleanly, Postgres last, every answered webhook kept, the import finished once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-ctrl-c-'));
    const secret = 'ctrl-c-app-secret';
    const env = {
      PARLEY_SIMULATOR: 'off',
      WHATSAPP_APP_SECRET: secret,
      WHATSAPP_VERIFY_TOKEN: 'verify',
      WHATSAPP_ACCESS_TOKEN: 'token',
      WHATSAPP_PHONE_NUMBER_ID: '105954558954427',
      WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    };
    try {
      const running = startParley(dir, { env, ownGroup: true });
      const url = await running.url;
      const answered: string[] = [];
      let sent = 0;
      let stopping = false;
      const post = async (n: number) => {
        const id = `wamid.ctrl-c.${n}`;
        const body = textWebhook({
          id,
          waId: `2782${String(n).padStart(7, '0')}`,
          name: `P${n}`,
          time: 1_900_000_000,
        });
        const response = await fetch(`${url}/webhooks/whatsapp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, secret) },
          body,
        }).catch(() => undefined);
        if (response?.status === 200) answered.push(id);
      };
      // Eight senders keep webhooks in flight until the process stops answering.
      const senders = Array.from({ length: 8 }, async () => {
        while (!stopping) await post(sent++);
      });
      // A CSV import running in the background when Ctrl-C comes, queued the way the import
      // wizard queues one (the platform's import worker picks it up).
      const port = Number(/Embedded Postgres running on port (\d+)/.exec(running.output())![1]);
      const password = (await readFile(join(dir, 'postgres.secret'), 'utf8')).trim();
      const parleyDb = createDatabase(
        `postgres://parley:${encodeURIComponent(password)}@127.0.0.1:${port}/parley`,
        {
          max: 2,
        },
      );
      const lines = ['phone,name,labels'];
      for (let i = 1; i <= importRows; i++)
        lines.push(`+2773${String(i).padStart(7, '0')},Imported ${i},ctrl-c`);
      const upload = await createImport(parleyDb.db, {
        bytes: Buffer.from(lines.join('\n')),
        fileName: 'ctrl-c.csv',
        channel: 'whatsapp',
        by: 'test',
      });
      await startImport(parleyDb.db, upload.id, {
        mapping: { phone: 'phone', name: 'name', labels: 'labels' },
        mode: 'both',
        defaultCountry: 'ZA',
      });
      const importProgress = () =>
        parleyDb.db
          .selectFrom('contact_imports')
          .select(['status', 'processed_rows', 'created_count'])
          .where('id', '=', upload.id)
          .executeTakeFirstOrThrow();
      await waitFor(
        async () => ((await importProgress()).processed_rows > 0 ? true : undefined),
        'the import under way',
      );
      await parleyDb.close();
      await waitFor(async () => (answered.length >= 40 ? true : undefined), '40 answered webhooks');
      const exited = new Promise<number | null>((resolve) =>
        running.child.on('exit', (code) => resolve(code)),
      );
      // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
      process.kill(-running.child.pid!, 'SIGINT');
      // How long the stop takes is a speed target, measured by hand (2.4 s idle, ~5 s under
      // this burst on a loaded 2-core machine); the test waits for the exit without a clock.
      const code = await exited;
      stopping = true;
      await Promise.all(senders);
      expect(code, running.output()).toBe(0);
      expect(running.output()).toContain('Parley stopped cleanly');
      expect(running.output()).not.toContain('terminating connection due to administrator command');

      const again = startParley(dir, { env });
      await again.url;
      const againPort = Number(/Embedded Postgres running on port (\d+)/.exec(again.output())![1]);
      const client = new pg.Client({
        host: '127.0.0.1',
        port: againPort,
        user: 'parley',
        password,
        database: 'parley',
      });
      await client.connect();
      // The import goes on after the restart and applies every row exactly once.
      const finished = await waitFor(
        async () => {
          const { rows } = await client.query<{
            status: string;
            processed_rows: number;
            created_count: number;
          }>('select status, processed_rows, created_count from contact_imports where id = $1', [upload.id]);
          return rows[0]?.status === 'done' ? rows[0] : undefined;
        },
        'the import to finish after the restart',
        120_000,
      );
      expect(finished).toEqual({ status: 'done', processed_rows: importRows, created_count: importRows });
      const imported = await client.query<{ people: string; created: string }>(
        `select (select count(*) from contacts where 'ctrl-c' = any(labels))::text as people,
                (select count(*) from events where type = 'contact.created' and idempotency_key like 'import:%')::text as created`,
      );
      expect(imported.rows[0]).toEqual({ people: String(importRows), created: String(importRows) });
      const { rows } = await client.query<{ id: string }>(
        `select payload->>'external_id' as id from events where type = 'message.received'`,
      );
      await client.end();
      const stored = new Set(rows.map((row) => row.id));
      expect(answered.filter((id) => !stored.has(id))).toEqual([]);
      expect(await stopParley(again.child)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
