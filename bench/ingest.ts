// `npm run bench -- ingest [--requests N] [--concurrency C]`
// Signed webhook requests (a mix of message types and status batches) through the real HTTP
// server into the log, against a raw COPY of the same event rows into an identical table.
import { createHmac, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildServer } from '../api/server.js';
import { createDatabase } from '../core/db/database.js';
import { migrate } from '../core/db/migrate.js';
import { registerWhatsAppWebhook } from '../ingest/whatsapp/webhook-route.js';
import { testChannel } from '../test/fixtures/whatsapp/webhook-app.js';
import { benchDatabase, percentile, printTable } from './_support.js';
import { benchPayload, benchPhoneNumberId } from './_whatsapp-payloads.js';

export default async function ingestBench(args: string[]) {
  const requests = Number(argument(args, '--requests') ?? 20_000);
  const concurrency = Number(argument(args, '--concurrency') ?? 32);
  const bench = await benchDatabase('ingest');
  const database = createDatabase(bench.url, { max: 20 });
  await migrate(database.pool);

  const appSecret = randomBytes(16).toString('hex');
  const channel = testChannel({ phoneNumberId: benchPhoneNumberId, appSecret });
  const app = await buildServer({
    config: { logLevel: 'silent' },
    database,
    routes: [(scope) => registerWhatsAppWebhook(scope, { db: database.db, channel })],
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const bodies = Array.from({ length: requests }, (_, i) =>
    Buffer.from(JSON.stringify(benchPayload(i, 10_000))),
  );
  const signatures = bodies.map((b) => `sha256=${createHmac('sha256', appSecret).update(b).digest('hex')}`);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= requests) return;
        const t0 = performance.now();
        const status = await post(port, agent, bodies[i]!, signatures[i]!);
        latencies.push(performance.now() - t0);
        if (status !== 200) failures += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  await app.close();

  const { rows } = await database.pool.query<{ n: string }>('select count(*) as n from events');
  const events = Number(rows[0]!.n);
  const ingestRate = events / seconds;

  // Baseline: COPY the very same rows into an identical table (same columns, defaults,
  // indexes and unique key), the fastest way Postgres can take them in.
  await database.pool.query('create table events_copy (like events including all)');
  const client = new pg.Client(bench.url);
  await client.connect();
  const dump = await client.query<{ line: string }>(
    `select concat_ws(E'\\t', type, schema_version, occurred_at, coalesce(contact_id::text, '\\N'),
       coalesce(channel, '\\N'), source, coalesce(idempotency_key, '\\N'),
       replace(replace(payload::text, '\\', '\\\\'), E'\\t', '\\t')) as line from events order by id`,
  );
  const copyText = `${dump.rows.map((r) => r.line).join('\n')}\n`;
  const copyStarted = performance.now();
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(
      copyFrom(
        'copy events_copy (type, schema_version, occurred_at, contact_id, channel, source, idempotency_key, payload) from stdin',
      ),
    );
    stream.on('finish', () => resolve());
    stream.on('error', reject);
    stream.end(copyText);
  });
  const copySeconds = (performance.now() - copyStarted) / 1000;
  const copied = await client.query<{ n: string }>('select count(*) as n from events_copy');
  await client.end();
  const copyRate = Number(copied.rows[0]!.n) / copySeconds;

  latencies.sort((a, b) => a - b);
  printTable('ingest', [
    ['requests', String(requests)],
    ['concurrency', String(concurrency)],
    ['non-200 answers', String(failures)],
    ['events appended', String(events)],
    ['elapsed', `${seconds.toFixed(2)} s`],
    ['requests/s', (requests / seconds).toFixed(0)],
    ['events/s through HTTP', ingestRate.toFixed(0)],
    ['latency p50', `${percentile(latencies, 0.5).toFixed(1)} ms`],
    ['latency p99', `${percentile(latencies, 0.99).toFixed(1)} ms`],
    ['baseline: COPY rows/s', copyRate.toFixed(0)],
    ['ratio (HTTP / COPY)', `${(ingestRate / copyRate).toFixed(3)}x`],
    ['targets', '>= 5,000 events/s and >= 0.5x COPY'],
  ]);
  await database.close();
  await bench.drop();
}

function post(
  port: number,
  agent: import('node:http').Agent,
  body: Buffer,
  signature: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/webhooks/whatsapp',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-hub-signature-256': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function argument(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}
