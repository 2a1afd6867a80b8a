import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError } from '../../core/errors.js';
import { eventTypes } from '../../core/log/event.schema.js';
import type { Actor } from '../auth/actor.js';
import { audit } from '../auth/audit.js';
import { secretToken } from '../auth/secret-token.js';
import { requeueDelivery } from './delivery-queue.js';
import { checkWebhookDestination, type LookupAll } from './ssrf-guard.js';

export interface WebhookSubscription {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  active: boolean;
  /** Set after `failingAfter` consecutive failed attempts; cleared by the next success. */
  failing: boolean;
  failing_since: Date | null;
  consecutive_failures: number;
  created_at: Date;
  updated_at: Date;
}

export interface DestinationPolicy {
  allowLocal: boolean;
  lookup?: LookupAll;
}

const columns = [
  'id',
  'url',
  'description',
  'event_types',
  'active',
  'failing',
  'failing_since',
  'consecutive_failures',
  'created_at',
  'updated_at',
] as const;

/** Event types a subscription may name: every type of the log's union. */
export const subscribableEventTypes: readonly string[] = eventTypes;

export async function listWebhookSubscriptions(db: DbOrTx): Promise<WebhookSubscription[]> {
  return db.selectFrom('webhook_subscriptions').select(columns).orderBy('id').execute();
}

export async function getWebhookSubscription(db: DbOrTx, id: string): Promise<WebhookSubscription> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .select(columns)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `no webhook ${id}`, [{ field: 'id', reason: 'no such webhook' }]);
  return row;
}

/** Creates a subscription; the signing secret is returned this once (`whsec_...`). */
export async function createWebhookSubscription(
  db: DbOrTx,
  actor: Actor,
  input: { url: string; event_types: string[]; description?: string | null; active?: boolean },
  policy: DestinationPolicy,
): Promise<WebhookSubscription & { secret: string }> {
  checkEventTypes(input.event_types);
  await checkWebhookDestination(input.url, policy);
  const { token: secret } = secretToken('whsec_');
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('webhook_subscriptions')
      .values({
        url: input.url,
        description: input.description ?? null,
        event_types: [...new Set(input.event_types)],
        secret,
        active: input.active ?? true,
        created_by: actor.userId,
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    await audit(tx, actor, {
      action: 'webhook.create',
      target: { kind: 'webhook', id: row.id },
      details: { url: row.url, event_types: row.event_types, active: row.active },
    });
    return { ...row, secret };
  });
}

export async function updateWebhookSubscription(
  db: DbOrTx,
  actor: Actor,
  id: string,
  patch: { url?: string; event_types?: string[]; description?: string | null; active?: boolean },
  policy: DestinationPolicy,
): Promise<WebhookSubscription> {
  if (patch.event_types) checkEventTypes(patch.event_types);
  if (patch.url !== undefined) await checkWebhookDestination(patch.url, policy);
  return inTransaction(db, async (tx) => {
    const before = await getWebhookSubscription(tx, id);
    const values = {
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.event_types !== undefined && { event_types: [...new Set(patch.event_types)] }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.active !== undefined && { active: patch.active }),
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, to] of Object.entries(values)) {
      const from = before[key as keyof typeof values];
      if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
    }
    if (Object.keys(changes).length === 0) return before;
    const row = await tx
      .updateTable('webhook_subscriptions')
      .set({ ...values, updated_at: new Date() })
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    if (changes.active && row.active) {
      // The worker passed over this subscription's deliveries while it was off: due again now.
      const waiting = await tx
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('subscription_id', '=', id)
        .where('state', '=', 'pending')
        .orderBy('id')
        .execute();
      for (const delivery of waiting) await requeueDelivery(tx, delivery.id);
    }
    await audit(tx, actor, {
      action: 'webhook.update',
      target: { kind: 'webhook', id },
      details: { changes },
    });
    return row;
  });
}

/** A new signing secret, returned once; the old one stops signing immediately. */
export async function rotateWebhookSecret(db: DbOrTx, actor: Actor, id: string): Promise<{ secret: string }> {
  const { token: secret } = secretToken('whsec_');
  return inTransaction(db, async (tx) => {
    await getWebhookSubscription(tx, id);
    await tx
      .updateTable('webhook_subscriptions')
      .set({ secret, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await audit(tx, actor, { action: 'webhook.rotate_secret', target: { kind: 'webhook', id } });
    return { secret };
  });
}

/** Deletes a subscription with its deliveries and attempts. */
export async function deleteWebhookSubscription(db: DbOrTx, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await tx
      .deleteFrom('webhook_subscriptions')
      .where('id', '=', id)
      .returning(['url'])
      .executeTakeFirst();
    if (!row)
      throw new AppError('not_found', `no webhook ${id}`, [{ field: 'id', reason: 'no such webhook' }]);
    await audit(tx, actor, {
      action: 'webhook.delete',
      target: { kind: 'webhook', id },
      details: { url: row.url },
    });
  });
}

/** The alert: subscriptions whose recent deliveries keep failing. */
export async function failingWebhookSubscriptions(db: DbOrTx): Promise<WebhookSubscription[]> {
  return db
    .selectFrom('webhook_subscriptions')
    .select(columns)
    .where('failing', '=', true)
    .orderBy('id')
    .execute();
}

function checkEventTypes(types: string[]) {
  const fields = types.flatMap((type, index) =>
    subscribableEventTypes.includes(type)
      ? []
      : [{ field: `event_types.${index}`, reason: `unknown event type ${type}` }],
  );
  if (types.length === 0) fields.push({ field: 'event_types', reason: 'give at least one event type' });
  if (fields.length > 0)
    throw new AppError('validation_failed', fields.map((f) => `${f.field}: ${f.reason}`).join('; '), fields);
}
