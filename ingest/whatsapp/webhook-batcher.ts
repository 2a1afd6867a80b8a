import type { Db } from '../../core/db/database.js';
import { type StoreWebhookResult, storeWebhooks, type WebhookToStore } from './store-webhooks.js';

export interface WebhookBatcher {
  /** Resolves once the webhook is committed (with what it added); rejects if it could not be. */
  store(webhook: WebhookToStore): Promise<StoreWebhookResult>;
}

interface Pending {
  webhook: WebhookToStore;
  resolve(result: StoreWebhookResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit for one channel's webhooks. Each transaction costs a commit (a WAL flush
 * and, through the log's NOTIFY trigger, a lock that serialises notifying commits) and a
 * fixed number of round trips, so webhooks that arrive while earlier ones are being stored
 * are stored together in the next transaction. A webhook that arrives while fewer than
 * `maxInFlight` transactions run starts one at once, so a quiet channel adds no delay.
 * If a batch fails, its webhooks are stored one by one, so that one bad webhook (answered
 * 500, and redelivered by Meta) never costs the others theirs.
 */
export function createWebhookBatcher(options: {
  db: Db;
  channel: string;
  maxBatch?: number;
  maxInFlight?: number;
}): WebhookBatcher {
  const maxBatch = options.maxBatch ?? 100;
  const maxInFlight = options.maxInFlight ?? 2;
  const queue: Pending[] = [];
  let inFlight = 0;

  async function commit(batch: Pending[]): Promise<void> {
    try {
      const results = await options.db.transaction().execute((tx) =>
        storeWebhooks(
          tx,
          options.channel,
          batch.map((p) => p.webhook),
        ),
      );
      for (const [i, pending] of batch.entries()) pending.resolve(results[i]!);
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const pending of batch) await commit([pending]);
    }
  }

  async function drain(): Promise<void> {
    inFlight += 1;
    try {
      while (queue.length > 0) await commit(queue.splice(0, maxBatch));
    } finally {
      inFlight -= 1;
    }
  }

  return {
    store(webhook) {
      return new Promise((resolve, reject) => {
        queue.push({ webhook, resolve, reject });
        // drain() settles every pending webhook itself and never rejects.
        if (inFlight < maxInFlight) void drain();
      });
    },
  };
}
