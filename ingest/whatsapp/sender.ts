import type { Db } from '../../core/db/database.js';
import { type Notifications, notificationsFor } from '../../core/db/notifications.js';
import { backoffDelayMs } from '../../core/jobs/backoff.js';
import type { Channel } from '../channels.js';
import { type GraphSendError, sendToGraph } from './graph-client.js';
import {
  type ClaimedRow,
  claimDue,
  countPending,
  nextClaimableInMs,
  releaseClaim,
  settleFailed,
  settleRetry,
  settleSent,
} from './sender-outbox.js';
import { TokenBucket } from './sender-token-bucket.js';
import { createSettleBatcher } from './settle-sent-batch.js';

/** Time reserved in a lease for the settle transaction after the answer. */
const SETTLE_MARGIN_MS = 1000;

export interface SenderOptions {
  db: Db;
  channels: Channel[];
  /** The process's shared LISTEN connection; else one of its own on `databaseUrl`; else it polls. */
  notifications?: Notifications;
  databaseUrl?: string;
  onError?: (error: unknown) => void;
  /** Safety-net poll. Default 1 s. */
  pollIntervalMs?: number;
  /**
   * How long a claimed row is kept from other senders. Default: the channel's send timeout + 30 s.
   * A row is sent only while the send timeout plus 1 s still fits in its lease.
   */
  leaseMs?: number;
  /** Messages in flight per channel. Default: half a second of the channel's rate, at least 4. */
  concurrency?: number;
  /** Attempts before a retryable error becomes permanent. Default 10. */
  maxAttempts?: number;
  /** Exponential backoff with full jitter: random(0, min(cap, base * 2^(attempt-1))). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

export interface Sender {
  start(): Promise<void>;
  stop(): Promise<void>;
  wake(): void;
  /** Resolves when these channels have no pending outbox rows and nothing is in flight (tests). */
  drain(): Promise<void>;
}

/**
 * Delivers the outbox to the Graph API.
 *
 * Claim in a short transaction, send outside any transaction (an open transaction during
 * HTTP would hold back every log reader's horizon: the read rule waits for the oldest open
 * transaction), settle in a new short transaction (grouped, settle-sent-batch.ts).
 * Delivery is AT LEAST ONCE: if the process dies after Meta answered 200 and
 * before the settle commits, the lease expires and the row is sent again. Meta offers no
 * idempotency key for /messages, so a duplicate cannot be prevented; it is detected instead:
 * every body carries biz_opaque_callback_data `parley:<message id>`, which Meta echoes on
 * each status webhook, so a second wamid is tied to the same message id (docs/outbound.md
 * shows the query). message.sent is appended once per message (idempotency key sent:<id>).
 */
export function createSender(options: SenderOptions): Sender {
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const maxAttempts = options.maxAttempts ?? 10;
  const baseMs = options.backoffBaseMs ?? 1000;
  const capMs = options.backoffCapMs ?? 600_000;
  const names = options.channels.map((c) => c.name);
  const workers = options.channels.map((channel) => channelWorker(channel));
  let stopped = true;
  let release: (() => Promise<void>) | undefined;
  let unsubscribe: (() => void) | undefined;
  const report = (error: unknown) => options.onError?.(error);
  const settler = createSettleBatcher(options.db);

  function channelWorker(channel: Channel) {
    const bucket = new TokenBucket(channel.rateLimitPerSecond);
    // Half a second's worth of messages in flight: a message holds its slot while it waits for
    // the token bucket, the answer and its batched settle (a few hundred ms under load), and
    // fewer slots than that left the bucket idle (measured: a quarter second's worth reached
    // 880 of 1,000/s). Only those past the bucket hold an HTTP connection.
    const concurrency = options.concurrency ?? Math.max(4, Math.ceil(channel.rateLimitPerSecond / 2));
    const leaseMs = options.leaseMs ?? channel.sendTimeoutMs + 30_000;
    if (leaseMs < channel.sendTimeoutMs + 2 * SETTLE_MARGIN_MS) {
      throw new Error(
        `leaseMs must exceed the send timeout of ${channel.name} by at least ${2 * SETTLE_MARGIN_MS} ms`,
      );
    }
    const inFlight = new Set<Promise<void>>();
    let signal: (() => void) | undefined;
    let woken = false;
    let loop: Promise<void> | undefined;

    function wake() {
      woken = true;
      signal?.();
    }

    async function run() {
      while (!stopped) {
        woken = false;
        let claimed = 0;
        const free = concurrency - inFlight.size;
        // Claim in chunks: one claim transaction per finished request would be wasteful.
        const worthClaiming = free > 0 && (inFlight.size === 0 || free >= Math.ceil(concurrency / 2));
        try {
          if (worthClaiming) {
            // The lease is measured on this clock from before the claim: never later than the database's.
            const leaseEnd = performance.now() + leaseMs;
            const rows = await claimDue(options.db, channel.name, free, leaseMs);
            claimed = rows.length;
            for (const row of rows) {
              const job = deliver(row, leaseEnd).finally(() => {
                inFlight.delete(job);
                wake();
              });
              inFlight.add(job);
            }
          }
          if (claimed > 0 && claimed === free) continue;
          const next = worthClaiming ? await nextClaimableInMs(options.db, [channel.name]) : null;
          // At least 10 ms: rows another sender is claiming right now look due for a moment.
          await sleep(Math.max(10, Math.min(pollIntervalMs, next ?? pollIntervalMs)));
        } catch (error) {
          report(error);
          await sleep(pollIntervalMs);
        }
      }
      await Promise.allSettled([...inFlight]);
    }

    function sleep(ms: number): Promise<void> {
      if (woken || stopped) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          signal = undefined;
          resolve();
        }
        signal = done;
      });
    }

    async function deliver(row: ClaimedRow, leaseEnd: number) {
      try {
        // The person was blocked (or erased) after the row was queued: never sent.
        if (row.stopped) return await settleFailed(options.db, row, personStopped);
        await bucket.take();
        // Send only if the answer and the settle fit in the lease; otherwise another sender may
        // already have claimed the row (a slow machine, a long pacing queue) and we would double it.
        if (stopped || performance.now() + channel.sendTimeoutMs + SETTLE_MARGIN_MS > leaseEnd) {
          return await releaseClaim(options.db, row);
        }
        const result = await sendToGraph(channel, row.body, row.kind);
        if (result.kind === 'ok') {
          return row.kind === 'message'
            ? await settler.sent(row, result.wamid, result.messageStatus)
            : await settleSent(options.db, row, result.wamid, result.messageStatus);
        }
        if (result.retryable && row.attempts < maxAttempts) {
          return await settleRetry(options.db, row, backoffDelayMs(row.attempts, baseMs, capMs), result);
        }
        await settleFailed(options.db, row, result);
      } catch (error) {
        // The settle failed (database away): the lease expires and the row is sent again.
        report(error);
      }
    }

    return {
      wake,
      idle: () => inFlight.size === 0,
      start() {
        loop = run();
      },
      async stop() {
        wake();
        await loop;
      },
    };
  }

  // Every append (message.queued among them) NOTIFYs parley_events on commit.
  async function listen() {
    const shared = notificationsFor(options);
    release = shared.release;
    unsubscribe = shared.hub?.subscribe('parley_events', () => {
      for (const worker of workers) worker.wake();
    });
    await shared.hub?.ready();
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      await listen();
      for (const worker of workers) worker.start();
    },
    async stop() {
      stopped = true;
      await Promise.all(workers.map((w) => w.stop()));
      unsubscribe?.();
      await release?.();
      unsubscribe = undefined;
      release = undefined;
    },
    wake() {
      for (const worker of workers) worker.wake();
    },
    async drain() {
      for (;;) {
        for (const worker of workers) worker.wake();
        if (workers.every((w) => w.idle()) && (await countPending(options.db, names)) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

const personStopped: GraphSendError = {
  retryable: false,
  httpStatus: null,
  code: null,
  title: 'contact blocked',
  message: 'the person was blocked or erased after the message was queued; it was not sent',
};
