import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/database.js';
import type { Notifications } from '../../core/db/notifications.js';
import { rescheduleJob } from '../../core/jobs/job-store.js';
import { type JobWorker, startJobWorker } from '../../core/jobs/job-worker.js';
import { defineJobHandler, runDueJobs } from '../../core/jobs/run-job.js';
import { deliveryJobSchema, WEBHOOK_DELIVERY_QUEUE } from './delivery-queue.js';
import { type PostResult, postWebhook } from './post-webhook.js';
import { defaultRetryPolicy, nextAttemptAt, type RetryPolicy } from './retry-schedule.js';
import { signWebhook } from './signature.js';
import type { LookupAll } from './ssrf-guard.js';

export interface DeliveryWorkerOptions {
  db: Db;
  /** PARLEY_ALLOW_LOCAL_WEBHOOKS: loopback and private destinations are allowed (tests, simulator). */
  allowLocal: boolean;
  lookup?: LookupAll;
  /** The clock; tests move it forward instead of waiting for the backoff. */
  now?: () => Date;
  retry?: RetryPolicy;
  /** Consecutive failed attempts after which a subscription is flagged failing. */
  failingAfter?: number;
  timeoutMs?: number;
  /** Deliveries claimed and sent in parallel. */
  batchSize?: number;
}

interface Delivery {
  id: string;
  subscription_id: string;
  event_id: string;
  attempts: number;
  window_started_at: Date;
  replay_pending: boolean;
  url: string;
  secret: string;
}

type Performed =
  | { kind: 'nothing' }
  | { kind: 'attempted'; delivery: Delivery; startedAt: Date; result: PostResult; eventFound: boolean };

/** How long a claimed delivery is kept from other workers: its request and the recording after. */
const leaseFor = (timeoutMs: number) => timeoutMs + 30_000;

/**
 * The job of one delivery: POSTs the event outside any transaction (perform), then records
 * the attempt, the delivery's outcome and the subscription's health in the transaction that
 * completes the job (handle). A failed attempt is an outcome, not an error: it is recorded,
 * and the job is rescheduled on the delivery's retry schedule (10 s, 1 min, ... within 24 h).
 * The job's lease and attempt fence replace the delivery's own: a worker whose lease ran out
 * (or whose delivery an admin replayed meanwhile) records nothing.
 */
export function webhookDeliveryHandler(options: DeliveryWorkerOptions) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clock = () => options.now?.() ?? new Date();
  return defineJobHandler<{ delivery_id: string }, Performed>({
    queue: WEBHOOK_DELIVERY_QUEUE,
    payloadSchema: deliveryJobSchema,
    async perform(job) {
      const delivery = await sql<Delivery & { active: boolean; state: string }>`
        select d.id, d.subscription_id, d.event_id, d.attempts, d.window_started_at, d.replay_pending,
          d.state, s.url, s.secret, s.active
        from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
        where d.id = ${job.payload.delivery_id}`.execute(options.db);
      const row = delivery.rows[0];
      // Gone with its subscription, or already settled; an inactive subscription's deliveries
      // wait, and turning it back on queues them again (subscriptions.ts).
      if (row?.state !== 'pending' || !row.active) return { kind: 'nothing' };
      const startedAt = clock();
      const { result, eventFound } = await post(options, row, startedAt, timeoutMs);
      return { kind: 'attempted', delivery: row, startedAt, result, eventFound };
    },
    async handle(tx, job, performed) {
      if (performed.kind === 'nothing') return;
      const retryAt = await record(tx, options, performed);
      // The attempt stays recorded; the job waits for the delivery's next attempt.
      if (retryAt) await rescheduleJob(tx, job, retryAt, performed.result.error);
    },
  });
}

async function post(options: DeliveryWorkerOptions, delivery: Delivery, startedAt: Date, timeoutMs: number) {
  const event = await options.db
    .selectFrom('events')
    .select(['id', 'type', 'occurred_at', 'contact_id', 'channel', 'payload'])
    .where('id', '=', delivery.event_id)
    .executeTakeFirst();
  if (!event) {
    const error = `event ${delivery.event_id} is not in the log`;
    return { eventFound: false, result: { statusCode: null, latencyMs: 0, error, responseExcerpt: null } };
  }
  const body = JSON.stringify({
    id: event.id,
    // Increases with log order within a subscription: integrators order the events of
    // one message by it (a retried `sent` can arrive after its `read`).
    sequence: Number(delivery.id),
    type: event.type,
    occurred_at: event.occurred_at.toISOString(),
    contact_id: event.contact_id,
    channel: event.channel,
    payload: event.payload,
  });
  const timestamp = Math.floor(startedAt.getTime() / 1000);
  const result = await postWebhook(
    delivery.url,
    body,
    {
      'x-parley-signature': signWebhook(delivery.secret, body, timestamp),
      'x-parley-event-id': delivery.event_id,
      'x-parley-timestamp': String(timestamp),
    },
    { allowLocal: options.allowLocal, lookup: options.lookup, timeoutMs },
  );
  return { eventFound: true, result };
}

/** The attempt, the delivery's new state and the subscription's health, in the job's transaction. */
async function record(
  tx: Tx,
  options: DeliveryWorkerOptions,
  performed: Extract<Performed, { kind: 'attempted' }>,
): Promise<Date | null> {
  const { delivery, startedAt, result } = performed;
  const ok = result.error === null;
  const attempt = delivery.attempts + 1;
  const windowStart =
    delivery.attempts === 0 || delivery.replay_pending ? startedAt : delivery.window_started_at;
  const retryAt =
    ok || !performed.eventFound
      ? null
      : nextAttemptAt(options.retry ?? defaultRetryPolicy, windowStart, attempt, startedAt);
  const updated = await tx
    .updateTable('webhook_deliveries')
    .set({
      state: ok ? 'succeeded' : retryAt ? 'pending' : 'failed',
      attempts: attempt,
      next_attempt_at: retryAt ?? startedAt,
      window_started_at: windowStart,
      replay_pending: false,
      last_status_code: result.statusCode,
      last_error: result.error,
      delivered_at: ok ? startedAt : null,
      updated_at: startedAt,
    })
    .where('id', '=', delivery.id)
    // The job's fence already holds; this one also keeps a second attempt from being logged
    // under the same number should the delivery have moved on some other way.
    .where('attempts', '=', delivery.attempts)
    .executeTakeFirst();
  // The subscription was deleted while the request was in flight.
  if (Number(updated.numUpdatedRows) === 0) return null;
  await tx
    .insertInto('webhook_delivery_attempts')
    .values({
      delivery_id: delivery.id,
      attempt,
      started_at: startedAt,
      status_code: result.statusCode,
      latency_ms: result.latencyMs,
      error: result.error?.slice(0, 2000) ?? null,
      response_excerpt: result.responseExcerpt,
      replay: delivery.replay_pending,
    })
    .execute();
  const failingAfter = options.failingAfter ?? 5;
  if (ok) {
    await tx
      .updateTable('webhook_subscriptions')
      .set({ consecutive_failures: 0, failing: false, failing_since: null })
      .where('id', '=', delivery.subscription_id)
      .execute();
  } else {
    await sql`
      update webhook_subscriptions set
        consecutive_failures = consecutive_failures + 1,
        failing = failing or consecutive_failures + 1 >= ${failingAfter},
        failing_since = case when failing then failing_since
                             when consecutive_failures + 1 >= ${failingAfter} then ${startedAt}::timestamptz end
      where id = ${delivery.subscription_id}`.execute(tx);
  }
  return retryAt;
}

/**
 * One pass: claims up to `batchSize` due deliveries (at the clock `now`) and attempts them in
 * parallel. Returns how many it attempted. Tests drive the retry schedule with it.
 */
export async function deliverDueWebhooks(options: DeliveryWorkerOptions): Promise<number> {
  return runDueJobs({
    db: options.db,
    handlers: [webhookDeliveryHandler(options)],
    limit: options.batchSize ?? 10,
    leaseMs: leaseFor(options.timeoutMs ?? 10_000),
    now: options.now?.(),
    backoffBaseMs: 1_000,
    backoffCapMs: 600_000,
  });
}

/** The platform's delivery worker: a core/jobs worker for the delivery queue. */
export function startWebhookDeliveryWorker(
  options: DeliveryWorkerOptions & {
    notifications?: Notifications;
    databaseUrl?: string;
    pollIntervalMs?: number;
    onError?: (error: unknown) => void;
  },
): JobWorker {
  return startJobWorker({
    db: options.db,
    notifications: options.notifications,
    databaseUrl: options.databaseUrl,
    handlers: [webhookDeliveryHandler(options)],
    concurrency: options.batchSize ?? 10,
    leaseMs: leaseFor(options.timeoutMs ?? 10_000),
    pollIntervalMs: options.pollIntervalMs,
    onError: options.onError,
  });
}
