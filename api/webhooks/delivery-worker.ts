import { sql } from 'kysely';
import type { Db } from '../../core/db/database.js';
import { postWebhook } from './post-webhook.js';
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
  /** Deliveries claimed and sent in parallel per pass. */
  batchSize?: number;
}

interface Claimed {
  id: string;
  subscription_id: string;
  event_id: string;
  attempts: number;
  window_started_at: Date;
  replay_pending: boolean;
  url: string;
  secret: string;
}

/**
 * One pass of the delivery worker: claims due deliveries (SKIP LOCKED, with a lease so a
 * crashed instance's claims come back), POSTs each outside any transaction, then records the
 * attempt and the next retry or the outcome in one transaction. Returns how many it attempted.
 */
export async function deliverDueWebhooks(options: DeliveryWorkerOptions): Promise<number> {
  const now = options.now?.() ?? new Date();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const lease = new Date(now.getTime() + timeoutMs + 30_000);
  const claimed = await sql<Claimed>`
    update webhook_deliveries d set claimed_until = ${lease}
    from webhook_subscriptions s
    where s.id = d.subscription_id and d.id in (
      select d2.id from webhook_deliveries d2
      join webhook_subscriptions s2 on s2.id = d2.subscription_id and s2.active
      where d2.state = 'pending' and d2.next_attempt_at <= ${now}
        and (d2.claimed_until is null or d2.claimed_until <= ${now})
      order by d2.next_attempt_at, d2.id
      limit ${options.batchSize ?? 10}
      for update of d2 skip locked)
    returning d.id, d.subscription_id, d.event_id, d.attempts, d.window_started_at, d.replay_pending, s.url, s.secret`.execute(
    options.db,
  );
  await Promise.all(claimed.rows.map((delivery) => attempt(options, delivery, timeoutMs, lease)));
  return claimed.rows.length;
}

async function attempt(
  options: DeliveryWorkerOptions,
  delivery: Claimed,
  timeoutMs: number,
  lease: Date,
): Promise<void> {
  const { db } = options;
  const startedAt = options.now?.() ?? new Date();
  const event = await db
    .selectFrom('events')
    .select(['id', 'type', 'occurred_at', 'contact_id', 'channel', 'payload'])
    .where('id', '=', delivery.event_id)
    .executeTakeFirst();
  const body = event
    ? JSON.stringify({
        id: event.id,
        // Increases with log order within a subscription: integrators order the events of
        // one message by it (a retried `sent` can arrive after its `read`).
        sequence: Number(delivery.id),
        type: event.type,
        occurred_at: event.occurred_at.toISOString(),
        contact_id: event.contact_id,
        channel: event.channel,
        payload: event.payload,
      })
    : undefined;
  const timestamp = Math.floor(startedAt.getTime() / 1000);
  const result = body
    ? await postWebhook(
        delivery.url,
        body,
        {
          'x-parley-signature': signWebhook(delivery.secret, body, timestamp),
          'x-parley-event-id': delivery.event_id,
          'x-parley-timestamp': String(timestamp),
        },
        { allowLocal: options.allowLocal, lookup: options.lookup, timeoutMs },
      )
    : {
        statusCode: null,
        latencyMs: 0,
        error: `event ${delivery.event_id} is not in the log`,
        responseExcerpt: null,
      };
  const ok = result.error === null;
  const failedAttempts = delivery.attempts + 1;
  const windowStart =
    delivery.attempts === 0 || delivery.replay_pending ? startedAt : delivery.window_started_at;
  const retryAt =
    ok || !event
      ? null
      : nextAttemptAt(options.retry ?? defaultRetryPolicy, windowStart, failedAttempts, startedAt);

  await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('webhook_deliveries')
      .set({
        state: ok ? 'succeeded' : retryAt ? 'pending' : 'failed',
        attempts: failedAttempts,
        next_attempt_at: retryAt ?? startedAt,
        claimed_until: null,
        window_started_at: windowStart,
        replay_pending: false,
        last_status_code: result.statusCode,
        last_error: result.error,
        delivered_at: ok ? startedAt : null,
        updated_at: startedAt,
      })
      .where('id', '=', delivery.id)
      // Fenced on this claim's lease: if the lease ran out and another worker claimed the
      // delivery (or an admin replayed it) meanwhile, this late answer must not overwrite
      // that worker's outcome nor log a second attempt under the same number.
      .where('claimed_until', '=', lease)
      .where('attempts', '=', delivery.attempts)
      .executeTakeFirst();
    // Fenced out, or the subscription was deleted while the request was in flight.
    if (Number(updated.numUpdatedRows) === 0) return;
    await tx
      .insertInto('webhook_delivery_attempts')
      .values({
        delivery_id: delivery.id,
        attempt: failedAttempts,
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
  });
}

export interface DeliveryWorker {
  wake(): void;
  stop(): Promise<void>;
}

/** Runs passes while deliveries are due, then sleeps for `pollIntervalMs` or until woken. */
export function startWebhookDeliveryWorker(
  options: DeliveryWorkerOptions & { pollIntervalMs?: number; onError?: (error: unknown) => void },
): DeliveryWorker {
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = async () => {
    try {
      while (!stopped && (await deliverDueWebhooks(options)) > 0) {}
    } catch (error) {
      options.onError?.(error);
    }
  };
  const wake = () => {
    if (stopped || running) return;
    clearTimeout(timer);
    running = run().finally(() => {
      running = undefined;
      if (!stopped) {
        timer = setTimeout(wake, pollIntervalMs);
        timer.unref?.();
      }
    });
  };
  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
