import type { Db } from '../../core/db/database.js';
import type { SnapshotWarehouse } from '../segments/index.js';
import { completeRuns } from './complete-runs.js';
import { planRun } from './plan-run.js';
import { type SendOptions, sendDueBatch } from './send-due.js';
import { resumeDueRuns, startDueRuns } from './start-due-runs.js';

export interface ReminderRunnerOptions extends SendOptions {
  db: Db;
  /** The warehouse, for reminders to a segment (snapshotted with the mirror caught up). */
  warehouse?: SnapshotWarehouse;
  /** How often to look for due work; due times are whole seconds at best. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface ReminderRunner {
  /** One pass: resume, start and plan due runs, queue every due person, close finished runs. */
  tick(now?: Date): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Drives reminders from their rows in Postgres: every step claims its rows (SKIP LOCKED, unique
 * run per occurrence, recipients queued with their messages), so several instances may run it
 * at once and a restart picks up where the last one stopped. Cron only computes due times.
 */
export function createReminderRunner(options: ReminderRunnerOptions): ReminderRunner {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let stopping = false;

  async function tick(now?: Date) {
    await resumeDueRuns(options.db, now);
    for (const runId of await startDueRuns(options.db, now))
      await planRun(options.db, options.warehouse, runId);
    while (!stopping) {
      const handled = await sendDueBatch(options.db, options, now);
      if (handled === 0) break;
    }
    await completeRuns(options.db, now);
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, options.intervalMs ?? 1000);
  }

  return {
    tick,
    start() {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}
