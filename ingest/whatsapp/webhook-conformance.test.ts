import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { postSigned, testChannel, webhookApp } from '../../test/fixtures/whatsapp/webhook-app.js';
import { createTestDatabase } from '../../test/setup/test-database.js';

// Payloads collected from Meta's documentation and two client libraries (SOURCES.md there).
// They live beside the checkout and are read in place, never copied into the project.
const repoRoot = resolve(import.meta.dirname, '..', '..');
const corpus = resolve(repoRoot, '..', 'shared', 'conformance', 'whatsapp-webhooks');
const present = existsSync(corpus);

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return name.endsWith('.json') ? [path] : [];
    })
    .sort();
}

/** What a file should produce, counted from the file itself: one event per distinct id. */
function expectedCounts(body: {
  entry: {
    changes: {
      field: string;
      value: { messages?: { id: string }[]; statuses?: { id: string; status: string }[] };
    }[];
  }[];
}) {
  const messages = new Set<string>();
  const statuses = new Set<string>();
  let updates = 0;
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') updates += 1;
      for (const m of change.value.messages ?? []) messages.add(m.id);
      for (const s of change.value.statuses ?? []) statuses.add(`${s.id}:${s.status}`);
    }
  }
  return { messages: messages.size, statuses: statuses.size, updates };
}

const files = present ? jsonFiles(corpus) : [];
const database = await createTestDatabase();
// One channel per file: several files reuse Meta's placeholder ids ("wamid.ID"), which are
// unique per channel, so each file is stored as if it were the first.
const channels = files.map((_, i) =>
  testChannel({
    name: `conformance-${i}`,
    webhookPath: `/webhooks/conformance/${i}`,
    appSecret: `secret-${i}`,
  }),
);
const app = present ? await webhookApp(database, channels) : undefined;
afterAll(async () => {
  await app?.close();
});

describe.skipIf(!present)('WhatsApp webhook conformance corpus', () => {
  it('finds the corpus files', () => {
    expect(files.length).toBeGreaterThanOrEqual(90);
  });

  it('answers 200 to every file and stores one event per message, status and update', async () => {
    const unrecognised: string[] = [];
    const mismatches: string[] = [];
    for (const [i, file] of files.entries()) {
      const name = relative(corpus, file);
      const body = readFileSync(file);
      const response = await postSigned(app!, channels[i]!, body);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(200);
      const { rows } = await sql<{ type: string; n: number }>`
        select type, count(*)::int as n from events where channel = ${channels[i]!.name} group by type`.execute(
        database.db,
      );
      const count = (type: string) => rows.find((r) => r.type === type)?.n ?? 0;
      expect(
        rows.reduce((sum, r) => sum + r.n, 0),
        name,
      ).toBeGreaterThanOrEqual(1);
      if (count('webhook.unrecognised') > 0) unrecognised.push(name);
      const expected = expectedCounts(JSON.parse(body.toString('utf8')));
      const actual = {
        messages: count('message.received'),
        statuses: count('message.status'),
        updates: count('channel.update') + count('template.status_changed'),
      };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${name}: expected ${JSON.stringify(expected)}, stored ${JSON.stringify(actual)}`);
      }
    }
    // Every file is a messages, statuses or template-status payload: none is unrecognised.
    expect(unrecognised).toEqual([]);
    expect(mismatches).toEqual([]);
  });
});
