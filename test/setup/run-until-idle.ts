import type { Db } from '../../core/db/database.js';
import { type Consumer, registerConsumer, runConsumerBatch } from '../../core/log/consumer.js';

/**
 * Runs a consumer until it has applied everything below the horizon. The horizon is
 * cluster-wide, so another test file's open transaction may hold it back for a moment:
 * `waiting` and `busy` are retried until the deadline, never taken for done.
 */
export async function runUntilIdle(db: Db, consumer: Consumer, timeoutMs = 20_000): Promise<void> {
  await registerConsumer(db, consumer.name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await runConsumerBatch(db, consumer);
    if (outcome.kind === 'idle') return;
    if (Date.now() > deadline) throw new Error(`consumer ${consumer.name} still ${outcome.kind}`);
    if (outcome.kind !== 'applied') await new Promise((r) => setTimeout(r, 20));
  }
}
