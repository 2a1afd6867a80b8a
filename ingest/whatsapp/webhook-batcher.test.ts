import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { parseWebhook } from './parse-webhook.js';
import { createWebhookBatcher } from './webhook-batcher.js';

const { db } = await createTestDatabase();

function webhook(n: number, text = `m${n}`) {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '105954558954427' },
              contacts: [{ profile: { name: `Person ${n}` }, wa_id: `2783200000${n}` }],
              messages: [
                {
                  from: `2783200000${n}`,
                  id: `wamid.batch-${n}`,
                  timestamp: '1732521600',
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return { parsed: parseWebhook(JSON.parse(body)), rawBody: body };
}

async function xidOf(wamid: string) {
  const row = await db
    .selectFrom('events')
    .select('xid')
    .where('idempotency_key', '=', `msg:${wamid}`)
    .executeTakeFirstOrThrow();
  return row.xid;
}

describe('createWebhookBatcher', () => {
  it('stores webhooks that arrive while a transaction runs together in the next one', async () => {
    const batcher = createWebhookBatcher({ db, channel: 'whatsapp', maxInFlight: 1 });
    const results = await Promise.all([1, 2, 3, 4].map((n) => batcher.store(webhook(n))));
    expect(results).toEqual(
      [1, 2, 3, 4].map(() => ({ messages: 1, statuses: 0, updates: 0, unrecognised: 0, duplicates: 0 })),
    );
    const xids = await Promise.all([1, 2, 3, 4].map((n) => xidOf(`wamid.batch-${n}`)));
    // The first starts a transaction at once; the three that queued behind it share one.
    expect(new Set(xids.slice(1)).size).toBe(1);
    expect(xids[0]).not.toBe(xids[1]);
  });

  it('one webhook that cannot be stored does not cost the others theirs', async () => {
    const batcher = createWebhookBatcher({ db, channel: 'whatsapp', maxInFlight: 1 });
    const poison = webhook(6);
    poison.parsed.messages[0]!.payload.wa_id = '';
    const settled = await Promise.allSettled(
      [5, 6, 7, 8].map((n) => batcher.store(n === 6 ? poison : webhook(n))),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const reason = (settled[1] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(AppError);
    expect((reason as AppError).code).toBe('validation_failed');
    const stored = await db
      .selectFrom('messages')
      .select('external_id')
      .where('external_id', 'in', ['wamid.batch-5', 'wamid.batch-6', 'wamid.batch-7', 'wamid.batch-8'])
      .orderBy('external_id')
      .execute();
    expect(stored.map((r) => r.external_id)).toEqual(['wamid.batch-5', 'wamid.batch-7', 'wamid.batch-8']);
  });

  it('stores a text with NUL (replaced by U+FFFD) in the same group commit as the others', async () => {
    const batcher = createWebhookBatcher({ db, channel: 'whatsapp', maxInFlight: 1 });
    const results = await Promise.all(
      [10, 11, 12, 13].map((n) => batcher.store(webhook(n, n === 11 ? 'before\u0000after' : `m${n}`))),
    );
    expect(results).toEqual(
      [10, 11, 12, 13].map(() => ({ messages: 1, statuses: 0, updates: 0, unrecognised: 0, duplicates: 0 })),
    );
    const xids = await Promise.all([11, 12, 13].map((n) => xidOf(`wamid.batch-${n}`)));
    // Nothing failed, so nothing was retried alone: the three queued ones share one transaction.
    expect(new Set(xids).size).toBe(1);
    const stored = await db
      .selectFrom('events')
      .select('payload')
      .where('idempotency_key', '=', 'msg:wamid.batch-11')
      .executeTakeFirstOrThrow();
    expect((stored.payload as { text: unknown }).text).toBe('before\uFFFDafter');
  });
});
