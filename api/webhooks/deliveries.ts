import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError } from '../../core/errors.js';
import type { Actor } from '../auth/actor.js';
import { audit } from '../auth/audit.js';
import { requeueDelivery } from './delivery-queue.js';

export interface DeliveryAttempt {
  attempt: number;
  started_at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
  replay: boolean;
}

export interface WebhookDelivery {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  state: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  attempt_log: DeliveryAttempt[];
}

/** The delivery log of one subscription, newest first, each with its attempts. */
export async function listWebhookDeliveries(
  db: DbOrTx,
  subscriptionId: string,
  options: { limit?: number; beforeId?: string } = {},
): Promise<WebhookDelivery[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .select([
      'id',
      'subscription_id',
      'event_id',
      'event_type',
      'state',
      'attempts',
      'next_attempt_at',
      'last_status_code',
      'last_error',
      'delivered_at',
      'created_at',
    ])
    .where('subscription_id', '=', subscriptionId)
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50);
  if (options.beforeId) query = query.where('id', '<', options.beforeId);
  const deliveries = await query.execute();
  const attempts =
    deliveries.length === 0
      ? []
      : await db
          .selectFrom('webhook_delivery_attempts')
          .select([
            'delivery_id',
            'attempt',
            'started_at',
            'status_code',
            'latency_ms',
            'error',
            'response_excerpt',
            'replay',
          ])
          .where(
            'delivery_id',
            'in',
            deliveries.map((d) => d.id),
          )
          .orderBy('id')
          .execute();
  return deliveries.map((d) => ({
    ...d,
    next_attempt_at: d.state === 'pending' ? d.next_attempt_at : null,
    attempt_log: attempts.filter((a) => a.delivery_id === d.id).map(({ delivery_id: _, ...a }) => a),
  }));
}

/** Sends a delivery again now (whatever its state), with a fresh 24-hour retry window. */
export async function replayWebhookDelivery(
  db: DbOrTx,
  actor: Actor,
  subscriptionId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  await inTransaction(db, async (tx) => {
    const now = new Date();
    const row = await tx
      .updateTable('webhook_deliveries')
      .set({
        state: 'pending',
        next_attempt_at: now,
        window_started_at: now,
        replay_pending: true,
        updated_at: now,
      })
      .where('id', '=', deliveryId)
      .where('subscription_id', '=', subscriptionId)
      .returning(['id', 'event_id', 'event_type'])
      .executeTakeFirst();
    if (!row) {
      throw new AppError('not_found', `no delivery ${deliveryId} for webhook ${subscriptionId}`, [
        { field: 'deliveryId', reason: 'no such delivery for this webhook' },
      ]);
    }
    // A run of the delivery in flight is fenced out: only this replay's attempt is recorded.
    await requeueDelivery(tx, row.id);
    await audit(tx, actor, {
      action: 'webhook.replay',
      target: { kind: 'webhook_delivery', id: row.id },
      details: { webhook_id: subscriptionId, event_id: row.event_id, event_type: row.event_type },
    });
  });
  const [delivery] = await listWebhookDeliveries(db, subscriptionId, {
    beforeId: String(BigInt(deliveryId) + 1n),
    limit: 1,
  });
  return delivery!;
}
