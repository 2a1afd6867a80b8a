import { type FSWatcher, watch } from 'node:fs';
import { type Notifications, notificationsFor } from '../../core/db/notifications.js';

export interface MirrorWakeups {
  stop(): Promise<void>;
}

/**
 * What wakes the mirror: NOTIFY parley_events on its own connection (the events table's
 * trigger sends it when an append commits), a file appearing in the control directory, and
 * a slow poll as the safety net for a lost notification or a dropped connection (the shared
 * notifications connection reconnects on its own).
 */
export async function startMirrorWakeups(options: {
  /** The process's shared LISTEN connection; without it, one of its own on `databaseUrl`. */
  notifications?: Notifications;
  databaseUrl: string;
  controlDir: string;
  pollIntervalMs: number;
  onLogAppended: () => void;
  onControlRequest: () => void;
}): Promise<MirrorWakeups> {
  const { hub, release } = notificationsFor(options);
  const unsubscribe = hub?.subscribe('parley_events', () => options.onLogAppended());
  await hub?.ready();
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(options.controlDir, options.onControlRequest);
  } catch {
    // Without file events the poll still picks requests up.
  }
  const poll = setInterval(() => {
    options.onControlRequest();
  }, options.pollIntervalMs);
  poll.unref();
  return {
    async stop() {
      clearInterval(poll);
      watcher?.close();
      unsubscribe?.();
      await release();
    },
  };
}
