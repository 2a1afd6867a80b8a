import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queueMessage } from '../../core/outbox/queue-message.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { type ClaimedRow, claimDue } from './sender-outbox.js';
import { createSettleBatcher } from './settle-sent-batch.js';

const database = await createTestDatabase();
const { db } = database;

let nextWaId = 27_850_000_000;
async function queueAndClaim(count: number): Promise<ClaimedRow[]> {
  for (let i = 0; i < count; i++) {
    const waId = String(nextWaId++);
    await db
      .insertInto('contacts')
      .values({ channel: 'whatsapp', wa_id: waId, last_inbound_at: new Date() })
      .execute();
    await db
      .transaction()
      .execute((tx) =>
        queueMessage(tx, { channel: 'whatsapp', wa_id: waId, message: { type: 'text', body: `m${i}` } }),
      );
  }
  return claimDue(db, 'whatsapp', count, 60_000);
}

async function stateOf(rows: ClaimedRow[]) {
  const ids = rows.map((r) => r.message_id!);
  const messages = await sql<{
    id: string;
    external_id: string | null;
    status: string;
    outbox: string;
    sent_events: string;
  }>`
    select m.id::text, m.external_id, m.status, o.state as outbox,
      (select count(*)::text from events e where e.type = 'message.sent' and e.payload->>'message_id' = m.id::text) as sent_events
    from messages m join outbox o on o.message_id = m.id
    where m.id = any(${ids}::bigint[]) order by m.id`.execute(db);
  return messages.rows;
}

describe('batched settles of sent messages', () => {
  it('settles many messages in one go exactly like one by one, and a repeated settle adds nothing', async () => {
    const rows = await queueAndClaim(5);
    const settler = createSettleBatcher(db);
    await Promise.all(
      rows.map((row, i) => settler.sent(row, `wamid.batch.${i}`, i === 4 ? 'accepted' : undefined)),
    );
    const expected = rows.map((row, i) => ({
      id: row.message_id,
      external_id: `wamid.batch.${i}`,
      status: i === 4 ? 'accepted' : 'sent',
      outbox: 'sent',
      sent_events: '1',
    }));
    expect(await stateOf(rows)).toEqual(expected);
    // A duplicate settle (a send repeated after a lost lease) changes nothing.
    await Promise.all(rows.map((row) => settler.sent(row, 'wamid.other')));
    expect(await stateOf(rows)).toEqual(expected);
  });

  it('a batch that fails is settled row by row: the bad row fails alone, the others are settled', async () => {
    const rows = await queueAndClaim(3);
    // An attempt count the event schema refuses: this row's message.sent cannot be appended.
    // The first settle is written at once; the other two wait and form one batch, which fails.
    const bad = { ...rows[1]!, attempts: 0 };
    const settler = createSettleBatcher(db);
    const outcomes = await Promise.allSettled([
      settler.sent(rows[0]!, 'wamid.ok.0'),
      settler.sent(bad, 'wamid.bad'),
      settler.sent(rows[2]!, 'wamid.ok.2'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stateOf(rows)).toEqual([
      {
        id: rows[0]!.message_id,
        external_id: 'wamid.ok.0',
        status: 'sent',
        outbox: 'sent',
        sent_events: '1',
      },
      { id: rows[1]!.message_id, external_id: null, status: 'queued', outbox: 'pending', sent_events: '0' },
      {
        id: rows[2]!.message_id,
        external_id: 'wamid.ok.2',
        status: 'sent',
        outbox: 'sent',
        sent_events: '1',
      },
    ]);
  });
});
