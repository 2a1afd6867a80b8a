import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { mirrorDir } from '../../warehouse/bigquery/testing/compare-rows.js';
import { type Mirror, startMirror } from '../../warehouse/duckdb/mirror.js';
import { warehouseTable } from '../../warehouse/tables/warehouse-tables.js';
import { insertHistory } from '../../warehouse/testing/log-writer.js';
import { type HistoryEvent, randomHistory } from '../../warehouse/testing/random-history.js';
import { createApiToken } from '../auth/api-tokens.js';
import { buildTestApiServer } from '../test-api-server.js';
import { createMember } from '../trpc/test-support.js';

const database = await createTestDatabase({ max: 4 });
const dir = await mirrorDir();
let mirror: Mirror;
let app: FastifyInstance;
let auth: string;
let analystAuth: string;

/** A history with a little over 10,000 messages (inbound and outbound), with their statuses. */
function historyWithMessages(count: number): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let messages = 0;
  for (const event of randomHistory({ seed: 21, events: 1_000_000 })) {
    const creates = event.type === 'message.received' || event.type === 'message.queued';
    if (creates && messages === count) break;
    if (creates) messages++;
    events.push(event);
  }
  return events;
}

beforeAll(async () => {
  const history = historyWithMessages(10_300);
  for (let i = 0; i < history.length; i += 5000)
    await insertHistory(database.pool, history.slice(i, i + 5000));
  mirror = await startMirror({ databaseUrl: database.url, dataDir: dir.path });
  await mirror.drain();
  app = await buildTestApiServer(database, {
    channels: [],
    warehouse: mirror,
  });
  // A data engineer's export token: the warehouse and personal data.
  const engineer = await createMember(database.db, 'admin');
  auth = `Bearer ${(await createApiToken(database.db, engineer.actor, { name: 'export', scopes: ['warehouse.query', 'pii.read'] })).token}`;
  // An analyst queries the warehouse but may not read personal data.
  const analyst = await createMember(database.db, 'analyst');
  analystAuth = `Bearer ${(await createApiToken(database.db, analyst.actor, { name: 'analysis', scopes: ['warehouse.query'] })).token}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await mirror?.stop();
  await dir.remove();
});

async function openCursor(type: string, body: object) {
  const response = await app.inject({
    method: 'POST',
    url: `/v1/data/${type}/cursor`,
    headers: { authorization: auth },
    payload: body,
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { cursor: string; expires_at: string };
}

async function page(type: string, cursor: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/v1/data/${type}/cursor/${cursor}`,
    headers: { authorization: auth },
  });
  expect(response.statusCode).toBe(200);
  return response.json() as { data: Record<string, unknown>[]; paging: { next: string | null } };
}

describe('Data Export API', () => {
  const iso = (column: string) => `strftime(timezone('UTC', ${column}), '%Y-%m-%dT%H:%M:%S.%fZ')`;

  it('pages through 10,000 messages with page_size 500: each exactly once, in order', async () => {
    const ordered = await mirror.query(
      `SELECT message_id::VARCHAR AS id, ${iso('created_at')} AS at FROM messages ORDER BY created_at, message_id`,
    );
    // The first 10,000 messages: everything before the 10,001st message's time.
    const until = ordered[10_000]!.at as string;
    const expected = ordered.filter((r) => (r.at as string) < until);
    expect(expected).toHaveLength(10_000);
    const opened = await openCursor('messages', { page_size: 500, until });
    expect(new Date(opened.expires_at).getTime()).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = opened.cursor;
    while (cursor) {
      const result = await page('messages', cursor);
      sizes.push(result.data.length);
      seen.push(...result.data.map((row) => String(row.message_id)));
      cursor = result.paging.next;
    }
    expect(sizes).toEqual(Array.from({ length: 20 }, () => 500));
    expect(seen).toEqual(expected.map((r) => r.id));
  }, 120_000);

  it('a page fetched again is identical (resumable), desc ordering and the time range hold', async () => {
    const all = await mirror.query(
      `SELECT message_id::VARCHAR AS id, ${iso('created_at')} AS at FROM messages ORDER BY created_at DESC, message_id DESC`,
    );
    const from = all[2999]!.at as string;
    const until = all[1000]!.at as string;
    const inRange = all.filter((r) => (r.at as string) >= from && (r.at as string) < until).map((r) => r.id);
    expect(inRange.length).toBeGreaterThan(1900);
    const opened = await openCursor('messages', { from, until, ordering: 'desc', page_size: 700 });
    const first = await page('messages', opened.cursor);
    const again = await page('messages', opened.cursor);
    expect(again).toEqual(first);
    const ids = first.data.map((r) => String(r.message_id));
    let cursor = first.paging.next;
    while (cursor) {
      const next = await page('messages', cursor);
      ids.push(...next.data.map((r) => String(r.message_id)));
      cursor = next.paging.next;
    }
    expect(ids).toEqual(inRange);
  });

  it('scrubs fields by hash or regex, and refuses bad rules with the field and reason', async () => {
    const contacts = await mirror.query(
      'SELECT contact_id::INT AS contact_id, wa_id, name FROM contacts ORDER BY created_at, contact_id LIMIT 50',
    );
    expect(contacts.filter((c) => c.name !== null).length).toBeGreaterThan(0);
    const opened = await openCursor('contacts', {
      page_size: 50,
      scrubbing_rules: [
        { field: 'wa_id', action: 'hash' },
        { field: 'name', action: 'replace', pattern: '[aeiou]', replacement: '*' },
      ],
    });
    const result = await page('contacts', opened.cursor);
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(result.data.map((r) => ({ contact_id: r.contact_id, wa_id: r.wa_id, name: r.name }))).toEqual(
      contacts.map((c) => ({
        contact_id: c.contact_id,
        wa_id: c.wa_id === null ? null : sha256(String(c.wa_id)),
        name: c.name === null ? null : String(c.name).replace(/[aeiou]/g, '*'),
      })),
    );
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/data/statuses/cursor',
      headers: { authorization: auth },
      payload: { page_size: 5000, scrubbing_rules: [{ field: 'x', action: 'replace', pattern: '(' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([
      { field: 'page_size', reason: 'Too big: expected number to be <=1000' },
      {
        field: 'scrubbing_rules.0.pattern',
        reason: 'not a valid RE2 regular expression (error parsing regexp: missing closing ): `(`)',
      },
    ]);
    const unknown = await app.inject({
      method: 'GET',
      url: `/v1/data/messages/cursor/${'A'.repeat(22)}`,
      headers: { authorization: auth },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('streams any warehouse table for a date range as NDJSON and CSV', async () => {
    const times = await mirror.query(`SELECT ${iso('created_at')} AS at FROM messages ORDER BY created_at`);
    const from = times[2000]!.at as string;
    const until = times[8000]!.at as string;
    const expected = await mirror.query(
      'SELECT message_id::VARCHAR AS id FROM messages WHERE created_at >= $1::TIMESTAMPTZ AND created_at < $2::TIMESTAMPTZ ORDER BY message_id',
      [from, until],
    );
    expect(expected.length).toBeGreaterThan(5000);
    const range = `from=${from}&until=${until}`;
    const ndjson = await app.inject({
      method: 'GET',
      url: `/v1/data/messages.ndjson?${range}`,
      headers: { authorization: auth },
    });
    expect(ndjson.statusCode).toBe(200);
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson');
    const lines = ndjson.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { message_id: number });
    expect(lines.map((r) => String(r.message_id))).toEqual(expected.map((r) => r.id));

    const csv = await app.inject({
      method: 'GET',
      url: `/v1/data/contact_changes.csv?${range}`,
      headers: { authorization: auth },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [count] = await mirror.query(
      'SELECT count(*)::INT AS n FROM contact_changes WHERE changed_at >= $1::TIMESTAMPTZ AND changed_at < $2::TIMESTAMPTZ',
      [from, until],
    );
    expect(count!.n).toBeGreaterThan(0);
    const records = csv.body.split('\r\n').filter((line) => line.length > 0);
    expect(records[0]).toBe(
      warehouseTable('contact_changes')
        .columns.map((c) => c.name)
        .join(','),
    );
    expect(records.length - 1).toBe(count!.n);

    const missing = await app.inject({
      method: 'GET',
      url: '/v1/data/nope.csv',
      headers: { authorization: auth },
    });
    expect(missing.statusCode).toBe(404);
    const anonymous = await app.inject({ method: 'GET', url: '/v1/data/messages.csv' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('without pii.read, export pages and downloads mask every personal column as the data dictionary says', async () => {
    const people = await mirror.query(
      `SELECT contact_id::INT AS contact_id, wa_id, name FROM contacts
       WHERE wa_id IS NOT NULL AND name IS NOT NULL ORDER BY created_at, contact_id LIMIT 20`,
    );
    expect(people.length).toBe(20);
    const openMasked = await app.inject({
      method: 'POST',
      url: '/v1/data/contacts/cursor',
      headers: { authorization: analystAuth },
      payload: { page_size: 1000 },
    });
    expect(openMasked.statusCode).toBe(201);
    const masked = await app.inject({
      method: 'GET',
      url: `/v1/data/contacts/cursor/${openMasked.json().cursor}`,
      headers: { authorization: analystAuth },
    });
    const rows = new Map(
      (masked.json().data as { contact_id: number; wa_id: string; name: string }[]).map((r) => [
        r.contact_id,
        r,
      ]),
    );
    const initials = (name: string) =>
      name
        .trim()
        .split(/\s+/)
        .filter((w) => w !== '')
        .map((w) => `${w[0]}***`)
        .join(' ');
    for (const person of people) {
      const row = rows.get(person.contact_id as number)!;
      expect(row.wa_id).toMatch(/^anon_[0-9a-f]{16}$/);
      expect(row.wa_id).not.toContain(String(person.wa_id));
      expect(row.name).toBe(initials(String(person.name)));
    }
    // Equal numbers stay equal: the masked identifier joins like the real one.
    expect(new Set([...rows.values()].map((r) => r.wa_id)).size).toBe(
      new Set([...rows.values()].map((r) => r.contact_id)).size,
    );

    const texts = await mirror.query(
      "SELECT count(*)::INT AS n FROM messages WHERE text IS NOT NULL AND text <> ''",
    );
    expect(texts[0]!.n).toBeGreaterThan(0);
    const download = await app.inject({
      method: 'GET',
      url: '/v1/data/messages.ndjson',
      headers: { authorization: analystAuth },
    });
    expect(download.statusCode).toBe(200);
    const lines = download.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { text: string | null; wa_id: string | null });
    const withText = lines.filter((l) => l.text !== null);
    expect(withText.length).toBe(texts[0]!.n);
    expect(new Set(withText.map((l) => l.text))).toEqual(new Set(['[redacted]']));
    expect(lines.every((l) => l.wa_id === null || /^anon_[0-9a-f]{16}$/.test(l.wa_id))).toBe(true);

    // The same download with pii.read gives the real values.
    const full = await app.inject({
      method: 'GET',
      url: '/v1/data/messages.ndjson',
      headers: { authorization: auth },
    });
    const fullTexts = full.body
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { text: string | null }).text)
      .filter((t) => t !== null);
    expect(fullTexts.length).toBe(texts[0]!.n);
    expect(fullTexts.includes('[redacted]')).toBe(false);
  });
});
