import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../ingest/channels.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { mirrorDir } from '../../warehouse/bigquery/testing/compare-rows.js';
import { type Mirror, startMirror } from '../../warehouse/duckdb/mirror.js';
import { insertHistory } from '../../warehouse/testing/log-writer.js';
import type { HistoryEvent } from '../../warehouse/testing/random-history.js';
import { createApiToken } from '../auth/api-tokens.js';
import { buildTestApiServer } from '../test-api-server.js';
import { createMember } from '../trpc/test-support.js';

const database = await createTestDatabase({ max: 4 });
const dir = await mirrorDir();
let mirror: Mirror;
let app: FastifyInstance;
let auth: string;
let analystAuth: string;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const t0 = Date.parse('2026-12-03T12:28:33Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const unix = (seconds: number) => String(Math.floor(at(seconds).getTime() / 1000));
// A word followed by no period: `(\w+)*\.$` backtracks through every split of it (2^40 tries).
const catastrophic = `${'a'.repeat(40)}!`;

function event(type: string, seconds: number, contactId: number, payload: object, extra = {}): HistoryEvent {
  return {
    type,
    schema_version: 1,
    occurred_at: at(seconds),
    contact_id: contactId,
    channel: 'whatsapp',
    source: 'whatsapp',
    idempotency_key: null,
    payload: payload as Record<string, unknown>,
    ...extra,
  };
}

const history: HistoryEvent[] = [
  event('contact.created', 0, 1, { wa_id: '27820000001', name: 'Thandi Mokoena', channel: 'whatsapp' }),
  event('contact.created', 1, 2, { wa_id: '27820000002', name: 'Sipho Dlamini', channel: 'whatsapp' }),
  event('message.received', 2, 1, {
    message_id: '1',
    external_id: 'wamid.in.1',
    wa_id: '27820000001',
    profile_name: 'Thandi Mokoena',
    message_type: 'text',
    timestamp: at(2).toISOString(),
    text: 'hello world',
  }),
  event(
    'message.queued',
    3,
    1,
    {
      message_id: '2',
      wa_id: '27820000001',
      message_type: 'text',
      text: 'the world says hi',
      body: {
        messaging_product: 'whatsapp',
        to: '27820000001',
        type: 'text',
        text: { body: 'the world says hi' },
      },
    },
    { source: 'api' },
  ),
  event(
    'message.sent',
    4,
    1,
    { message_id: '2', external_id: 'wamid.out.2', attempts: 1 },
    { source: 'sender' },
  ),
  event('message.status', 5, 1, {
    message_id: '2',
    external_id: 'wamid.out.2',
    status: 'delivered',
    recipient_id: '27820000001',
    timestamp: at(5).toISOString(),
    pricing: { billable: true, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
  }),
  event('message.received', 6, 2, {
    message_id: '3',
    external_id: 'wamid.in.3',
    wa_id: '27820000002',
    profile_name: 'Sipho Dlamini',
    message_type: 'text',
    timestamp: at(6).toISOString(),
    text: catastrophic,
  }),
];

const channel: Channel = {
  name: 'whatsapp',
  kind: 'whatsapp',
  phoneNumberId: '1555000111',
  graphUrl: 'http://127.0.0.1:9',
  apiVersion: 'v23.0',
  accessToken: 'test-access-token',
  appSecret: 'test-app-secret',
  verifyToken: 'test-verify-token',
  rateLimitPerSecond: 80,
  sendTimeoutMs: 1000,
  webhookPath: '/webhooks/whatsapp',
};

beforeAll(async () => {
  await insertHistory(database.pool, history);
  mirror = await startMirror({ databaseUrl: database.url, dataDir: dir.path });
  await mirror.drain();
  app = await buildTestApiServer(database, { channels: [channel], warehouse: mirror });
  // A Turn.io client exporting the service's conversations: it reads personal data.
  const engineer = await createMember(database.db, 'admin');
  const token = await createApiToken(database.db, engineer.actor, {
    name: 'turn',
    scopes: ['warehouse.query', 'pii.read'],
  });
  auth = `Bearer ${token.token}`;
  const analyst = await createMember(database.db, 'analyst');
  const analystToken = await createApiToken(database.db, analyst.actor, {
    name: 'analysis',
    scopes: ['warehouse.query'],
  });
  analystAuth = `Bearer ${analystToken.token}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await mirror?.stop();
  await dir.remove();
});

// Turn.io's client sends this Accept header on both calls (their curl examples and Python sample).
const turnHeaders = () => ({ authorization: auth, accept: 'application/vnd.v1+json' });

async function open(type: string, body: object, url = `/v1/data/${type}/cursor`) {
  const response = await app.inject({ method: 'POST', url, headers: turnHeaders(), payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { cursor: string; expires_at: string };
}

async function read(type: string, cursor: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/v1/data/${type}/cursor/${cursor}`,
    headers: turnHeaders(),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { data: Record<string, unknown>[]; paging: { next: string } | null };
}

// Times as Python's datetime.isoformat() writes them for an aware UTC datetime.
const from = '2026-12-03T12:28:32.507736+00:00';
const until = '2026-12-03T14:28:40.000001+02:00';

describe("Data Export API with Turn.io's documented request", () => {
  it('messages: webhook shape for received, send shape with the sender for sent, scrubbing and paging as documented', async () => {
    // Turn.io's example body: regex search/replace on text bodies, hash of the sender and of
    // the profile name for received messages, hash of the sender for sent ones.
    const opened = await open('messages', {
      from,
      until,
      ordering: 'asc',
      page_size: 2,
      scrubbing_rules: {
        inbound: {
          'messages.text.body': { type: 'regex', search: 'world', replace: 'XXXX' },
          'messages.from': { type: 'hash' },
          'contacts.profile.name': { type: 'hash' },
        },
        outbound: {
          'text.body': { type: 'regex', search: 'world', replace: 'XXXX' },
          from: { type: 'hash' },
        },
      },
    });
    // The docs: creating a cursor answers the cursor and when it expires.
    expect(Object.keys(opened).sort()).toEqual(['cursor', 'expires_at']);
    const first = await read('messages', opened.cursor);
    // The docs: each page has `data` and, while more remain, `paging.next` (a cursor to GET next).
    expect(first.data).toEqual([
      // A received message is `{messages: [message], contacts: [contact]}`, the webhook's format.
      {
        messages: [
          {
            from: sha256('27820000001'),
            id: 'wamid.in.1',
            timestamp: unix(2),
            type: 'text',
            text: { body: 'hello XXXX' },
          },
        ],
        contacts: [{ profile: { name: sha256('Thandi Mokoena') }, wa_id: '27820000001' }],
      },
      // A sent message is the body one sends to /v1/messages, with its sender in `from`.
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        from: sha256('1555000111'),
        to: '27820000001',
        id: 'wamid.out.2',
        timestamp: unix(4),
        status: 'delivered',
        type: 'text',
        text: { body: 'the XXXX says hi' },
      },
    ]);
    expect(first.paging).toEqual({ next: expect.stringMatching(/^[A-Za-z0-9_-]{22}~\d+~\d+$/) });
    const last = await read('messages', first.paging!.next);
    expect(last.data).toEqual([
      {
        messages: [
          {
            from: sha256('27820000002'),
            id: 'wamid.in.3',
            timestamp: unix(6),
            type: 'text',
            text: { body: catastrophic },
          },
        ],
        contacts: [{ profile: { name: sha256('Sipho Dlamini') }, wa_id: '27820000002' }],
      },
    ]);
    // The docs' sample client: no paging entry means there are no more results.
    expect(last.paging).toBeNull();
  });

  it("without pii.read, Turn.io's shapes carry masked numbers, names and text", async () => {
    const headers = { authorization: analystAuth, accept: 'application/vnd.v1+json' };
    const opened = await app.inject({
      method: 'POST',
      url: '/v1/data/messages/cursor',
      headers,
      payload: { from, until, ordering: 'asc', page_size: 1 },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const page = await app.inject({
      method: 'GET',
      url: `/v1/data/messages/cursor/${opened.json().cursor}`,
      headers,
    });
    expect(page.statusCode, page.body).toBe(200);
    const [item] = page.json().data as {
      messages: { from: string; id: string; type: string; text: { body: string } }[];
      contacts: { profile: { name: string }; wa_id: string }[];
    }[];
    const message = item!.messages[0]!;
    expect(message.from).toMatch(/^anon_[0-9a-f]{16}$/);
    expect({ id: message.id, type: message.type, text: message.text }).toEqual({
      id: 'wamid.in.1',
      type: 'text',
      text: { body: '[redacted]' },
    });
    // One number, one masked value: the message and its contact still match.
    expect(item!.contacts).toEqual([{ profile: { name: 'T*** M***' }, wa_id: message.from }]);
  });

  it('statuses and contacts in their shapes; a scrubbing_rules object alone chooses them too', async () => {
    const statuses = await read('statuses', (await open('statuses', { from, until })).cursor);
    expect(statuses).toEqual({
      data: [
        {
          id: 'wamid.out.2',
          recipient_id: '27820000001',
          status: 'delivered',
          timestamp: unix(5),
          pricing: {
            billable: true,
            pricing_model: 'PMP',
            category: 'service',
            type: 'free_customer_service',
          },
        },
      ],
      paging: null,
    });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/data/contacts/cursor',
      headers: { authorization: auth },
      payload: { from, until, scrubbing_rules: { inbound: { 'contacts.profile.name': { type: 'hash' } } } },
    });
    const contacts = await read('contacts', (response.json() as { cursor: string }).cursor);
    expect(contacts.paging).toBeNull();
    expect(contacts.data.map((c) => ({ wa_id: c.wa_id, profile: c.profile, id: c.id }))).toEqual([
      { wa_id: '27820000001', profile: { name: sha256('Thandi Mokoena') }, id: '1' },
      { wa_id: '27820000002', profile: { name: sha256('Sipho Dlamini') }, id: '2' },
    ]);
    expect(contacts.data[0]!.details).toMatchObject({
      opted_in: false,
      opt_in: 'unknown',
      blocked: false,
      labels: [],
    });
    expect(JSON.stringify(contacts.data)).not.toContain('Thandi');
  });

  it('a catastrophic regex answers with the right result while another request is served', async () => {
    const body = {
      from,
      until,
      scrubbing_rules: {
        inbound: { 'messages.text.body': { type: 'regex', search: '(\\w+)*\\.$', replace: '.' } },
      },
    };
    const opened = await open('messages', body);
    const [page, other] = await Promise.all([
      read('messages', opened.cursor),
      app.inject({ method: 'GET', url: '/health' }),
    ]);
    expect(other.statusCode).toBe(200);
    const texts = page.data.map(
      (item) => (item.messages as { text: { body: string } }[] | undefined)?.[0]?.text.body,
    );
    expect(texts).toEqual(['hello world', undefined, catastrophic]);
    // The same pattern in Parley's own rules (flat rows).
    const rows = await app.inject({
      method: 'POST',
      url: '/v1/data/messages/cursor?format=rows',
      headers: { authorization: auth },
      payload: {
        from,
        until,
        scrubbing_rules: [{ field: 'text', action: 'replace', pattern: '(\\w+)*\\.$' }],
      },
    });
    const rowsPage = await read('messages', (rows.json() as { cursor: string }).cursor);
    expect(rowsPage.data.map((r) => r.text)).toEqual(['hello world', 'the world says hi', catastrophic]);
    expect(rowsPage.paging).toEqual({ next: null });
  });

  it('refuses bad times, patterns RE2 cannot run and mismatched rules with the field and reason', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/data/messages/cursor',
      headers: turnHeaders(),
      payload: {
        from: '2026-12-03 12:28',
        until: '2026-02-30T00:00:00Z',
        scrubbing_rules: { inbound: { 'messages.text.body': { type: 'regex', search: '(a)\\1' } } },
      },
    });
    expect(bad.statusCode).toBe(400);
    const reason = 'not an RFC 3339 time: use e.g. 2026-12-03T12:28:32.507736+00:00 or 2026-12-03T12:28:32Z';
    expect(bad.json().error.fields).toEqual([
      { field: 'from', reason },
      { field: 'until', reason },
      {
        field: 'scrubbing_rules.inbound.messages.text.body.search',
        reason: 'not a valid RE2 regular expression (error parsing regexp: invalid escape sequence: `\\1`)',
      },
    ]);
    const mismatch = await app.inject({
      method: 'POST',
      url: '/v1/data/messages/cursor?format=rows',
      headers: turnHeaders(),
      payload: { scrubbing_rules: { outbound: { to: { type: 'hash' } } } },
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.fields).toEqual([
      { field: 'scrubbing_rules', reason: 'does not match format rows' },
    ]);
  });

  it('the NDJSON download takes the same RFC 3339 times (offsets, microseconds)', async () => {
    const range = `from=${encodeURIComponent(from)}&until=${encodeURIComponent('2026-12-03T14:28:37.000001+02:00')}`;
    const response = await app.inject({
      method: 'GET',
      url: `/v1/data/messages.ndjson?${range}`,
      headers: { authorization: auth },
    });
    expect(response.statusCode, response.body).toBe(200);
    const ids = response.body
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { external_id: string }).external_id);
    // until 12:28:37.000001Z: the messages created at +2 s and +3 s, not the one at +6 s.
    expect(ids).toEqual(['wamid.in.1', 'wamid.out.2']);
  });
});
