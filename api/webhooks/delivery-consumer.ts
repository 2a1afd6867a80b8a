import type { Consumer } from '../../core/log/consumer.js';
import { defineConsumer } from '../../core/log/define-consumer.js';
import { eventTypes } from '../../core/log/event.schema.js';
import { enqueueDeliveries } from './delivery-queue.js';

/**
 * The log consumer that turns events into deliveries: one row per (subscription, event) for
 * every active subscription of the event's type, and its job, in the consumer's transaction, so each
 * event is delivered once per subscription (the unique key absorbs a replayed batch). A
 * subscription gets the events recorded after it was created, not the log's history.
 */
export function webhookDeliveryConsumer(): Consumer {
  // Every type an integrator may subscribe to; events arrive parsed, so one this code cannot
  // read is reported (last_error, /health) rather than delivered or dropped unseen.
  return defineConsumer({
    name: 'api.webhook-deliveries',
    types: eventTypes,
    batchSize: 500,
    async handle(tx, events) {
      const subscriptions = await tx
        .selectFrom('webhook_subscriptions')
        .select(['id', 'event_types', 'created_at'])
        .where('active', '=', true)
        .execute();
      if (subscriptions.length === 0) return;
      const rows = events.flatMap((event) =>
        subscriptions
          .filter(
            (s) =>
              s.event_types.includes(event.type) && s.created_at.getTime() <= event.recorded_at.getTime(),
          )
          .map((s) => ({ subscription_id: s.id, event_id: event.id, event_type: event.type })),
      );
      for (let i = 0; i < rows.length; i += 1000) {
        const created = await tx
          .insertInto('webhook_deliveries')
          .values(rows.slice(i, i + 1000))
          .onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing())
          .returning('id')
          .execute();
        // Each new delivery is a job of the delivery worker, queued in the same transaction.
        await enqueueDeliveries(
          tx,
          created.map((d) => d.id),
        );
      }
    },
  });
}
