import { z } from 'zod';
import type { Tx } from '../../core/db/database.js';
import { enqueueJobs, requeueJob } from '../../core/jobs/enqueue-job.js';

/**
 * Webhook deliveries are core/jobs jobs: one job per delivery row (key = the delivery's id),
 * which the job worker claims, leases and fences; each attempt is recorded on the delivery and
 * the job is rescheduled on the delivery's retry schedule until it succeeds or its 24-hour
 * window closes. The name is also written in sql/migrations/0028, which queued the deliveries
 * pending at the upgrade.
 */
export const WEBHOOK_DELIVERY_QUEUE = 'webhook.delivery';

export const deliveryJobSchema = z.object({ delivery_id: z.string() });

/**
 * Far more than the schedule's nine attempts in 24 hours plus replays: the schedule ends a
 * delivery, and these attempts count only runs that threw (the database away) or died.
 */
const MAX_JOB_ATTEMPTS = 100;

/** Queues new deliveries, in the transaction that creates them. */
export async function enqueueDeliveries(tx: Tx, deliveryIds: readonly string[]): Promise<void> {
  await enqueueJobs(
    tx,
    deliveryIds.map((id) => ({
      queue: WEBHOOK_DELIVERY_QUEUE,
      key: id,
      payload: { delivery_id: id },
      maxAttempts: MAX_JOB_ATTEMPTS,
    })),
  );
}

/** Makes a delivery's job due now (a replay, a subscription turned back on). */
export async function requeueDelivery(tx: Tx, deliveryId: string): Promise<void> {
  await requeueJob(tx, {
    queue: WEBHOOK_DELIVERY_QUEUE,
    key: deliveryId,
    payload: { delivery_id: deliveryId },
    maxAttempts: MAX_JOB_ATTEMPTS,
  });
}
