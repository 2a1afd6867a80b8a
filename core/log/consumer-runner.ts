import type { Db } from '../db/database.js';
import { type Notifications, notificationsFor } from '../db/notifications.js';
import { type Consumer, recordConsumerError, registerConsumer, runConsumerBatch } from './consumer.js';

export interface ConsumerRunnerOptions {
  db: Db;
  /** The process's shared LISTEN connection; without it, one of its own on `databaseUrl`. */
  notifications?: Notifications;
  databaseUrl?: string;
  consumers: Consumer[];
  /** Safety-net poll when no notification arrives (a lost NOTIFY, a dropped connection). */
  pollIntervalMs?: number;
  /** First retry delay after a failed batch; doubles up to maxBackoffMs. */
  retryDelayMs?: number;
  maxBackoffMs?: number;
  onError?: (consumer: string, error: unknown) => void;
}

export interface ConsumerRunner {
  /** Runs every consumer until none has anything left below the horizon. Test helper too. */
  drain(): Promise<void>;
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Runs consumers in this process: each loops while it has full batches, sleeps until a
 * NOTIFY on `parley_events` (sent by the events table's trigger on commit) or the slow
 * poll wakes it, and backs off after errors. Several processes may run the same consumers:
 * the cursor row lock makes them take turns.
 */
export async function startConsumerRunner(options: ConsumerRunnerOptions): Promise<ConsumerRunner> {
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const waitingRetryMs = 50;
  for (const consumer of options.consumers) await registerConsumer(options.db, consumer.name);

  let stopped = false;
  const loops = options.consumers.map((consumer) => createLoop(consumer));

  // Woken on NOTIFY parley_events, sent by the events table's trigger when an append commits.
  const { hub, release } = notificationsFor(options);
  const unsubscribe = hub?.subscribe('parley_events', () => {
    for (const loop of loops) loop.wake();
  });
  await hub?.ready();

  function createLoop(consumer: Consumer) {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    let again = false;
    let failures = 0;
    const idleWaiters: (() => void)[] = [];

    function schedule(delay: number) {
      if (stopped) return;
      clearTimeout(timer);
      timer = setTimeout(wake, delay);
      timer.unref?.();
    }

    function wake() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = run().finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          wake();
        }
      });
    }

    async function run() {
      try {
        for (;;) {
          if (stopped) return;
          const outcome = await runConsumerBatch(options.db, consumer);
          failures = 0;
          if (outcome.kind === 'applied') continue;
          // Waiting: events are committed but an older open transaction holds the horizon;
          // look again soon. Busy: another instance is on it; poll later in case it stops.
          schedule(outcome.kind === 'waiting' ? waitingRetryMs : pollIntervalMs);
          if (outcome.kind === 'idle') for (const resolve of idleWaiters.splice(0)) resolve();
          return;
        }
      } catch (error) {
        failures += 1;
        options.onError?.(consumer.name, error);
        await recordConsumerError(options.db, consumer.name, error).catch(() => {});
        schedule(Math.min(retryDelayMs * 2 ** (failures - 1), maxBackoffMs));
      }
    }

    return {
      wake,
      async stop() {
        clearTimeout(timer);
        await running;
      },
      untilIdle(): Promise<void> {
        return new Promise((resolve) => {
          idleWaiters.push(resolve);
          wake();
          again = true;
        });
      },
    };
  }

  for (const loop of loops) loop.wake();

  return {
    async drain() {
      await Promise.all(loops.map((loop) => loop.untilIdle()));
    },
    wake() {
      for (const loop of loops) loop.wake();
    },
    async stop() {
      stopped = true;
      await Promise.all(loops.map((loop) => loop.stop()));
      unsubscribe?.();
      await release();
    },
  };
}
