import { type FSWatcher, watch } from 'node:fs';
import pg from 'pg';

export interface MirrorWakeups {
  stop(): Promise<void>;
}

/**
 * What wakes the mirror: NOTIFY parley_events on its own connection (the events table's
 * trigger sends it when an append commits), a file appearing in the control directory, and
 * a slow poll as the safety net for a lost notification or a dropped connection (the poll
 * also reconnects LISTEN).
 */
export async function startMirrorWakeups(options: {
  databaseUrl: string;
  controlDir: string;
  pollIntervalMs: number;
  onLogAppended: () => void;
  onControlRequest: () => void;
}): Promise<MirrorWakeups> {
  let stopped = false;
  let listener: pg.Client | undefined;
  async function listen() {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    client.on('error', () => {
      if (listener === client) listener = undefined;
    });
    client.on('notification', options.onLogAppended);
    try {
      await client.connect();
      await client.query('LISTEN parley_events');
      if (stopped) await client.end();
      else listener = client;
    } catch {
      await client.end().catch(() => {});
    }
  }
  await listen();
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(options.controlDir, options.onControlRequest);
  } catch {
    // Without file events the poll still picks requests up.
  }
  const poll = setInterval(() => {
    if (!listener && !stopped) void listen();
    options.onControlRequest();
  }, options.pollIntervalMs);
  poll.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      watcher?.close();
      await listener?.end().catch(() => {});
    },
  };
}
