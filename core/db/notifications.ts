import pg from 'pg';

export type NotificationListener = (payload: string | undefined) => void;

export interface Notifications {
  /**
   * Calls `listener` on every NOTIFY of `channel`, and once after each reconnect (a NOTIFY
   * sent while the connection was down is lost, so every listener must look for work then).
   * Returns the function that unsubscribes.
   */
  subscribe(channel: string, listener: NotificationListener): () => void;
  /** Resolves once the connection is listening (or the first attempt failed). */
  ready(): Promise<void>;
  /** True while the connection is up and listening to every subscribed channel. */
  connected(): boolean;
  stop(): Promise<void>;
}

export interface NotificationsOptions {
  databaseUrl: string;
  /** First reconnect delay; doubles up to maxReconnectDelayMs. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * One LISTEN connection per process, shared by every worker and consumer that wakes on
 * NOTIFY. LISTEN needs a dedicated connection (a pooled one is handed back and loses it), so
 * it lives here with its reconnect logic once, instead of in each worker.
 */
export function createNotifications(options: NotificationsOptions): Notifications {
  const baseDelay = options.reconnectDelayMs ?? 100;
  const maxDelay = options.maxReconnectDelayMs ?? 5_000;
  const listeners = new Map<string, Set<NotificationListener>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let everConnected = false;
  /** LISTENs sent on the live connection for channels subscribed after it opened. */
  const pending = new Set<Promise<void>>();

  function quote(channel: string) {
    return `"${channel.replaceAll('"', '""')}"`;
  }

  function notifyAll() {
    for (const set of listeners.values()) for (const listener of set) listener(undefined);
  }

  function scheduleReconnect() {
    if (stopped || retry) return;
    const delay = Math.min(maxDelay, baseDelay * 2 ** Math.min(failures, 16));
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay);
    retry.unref?.();
  }

  function connect(): Promise<void> {
    connecting ??= open().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  async function open() {
    const next = new pg.Client({ connectionString: options.databaseUrl });
    next.on('error', (error) => {
      options.onError?.(error);
      if (client === next) {
        client = undefined;
        void next.end().catch(() => {});
        scheduleReconnect();
      }
    });
    next.on('end', () => {
      if (client === next) {
        client = undefined;
        scheduleReconnect();
      }
    });
    next.on('notification', (message) => {
      const set = listeners.get(message.channel);
      if (set) for (const listener of set) listener(message.payload);
    });
    try {
      await next.connect();
      for (const channel of listeners.keys()) await next.query(`listen ${quote(channel)}`);
      if (stopped) {
        await next.end();
        return;
      }
      client = next;
      failures = 0;
      if (everConnected) notifyAll();
      everConnected = true;
    } catch (error) {
      options.onError?.(error);
      failures += 1;
      await next.end().catch(() => {});
      scheduleReconnect();
    }
  }

  const first = connect();

  return {
    subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        // Channels added after connecting are listened to on the live connection.
        const live = client;
        if (live) {
          const listening = live.query(`listen ${quote(channel)}`).then(
            () => {},
            (error: unknown) => {
              options.onError?.(error);
              if (client === live) {
                client = undefined;
                void live.end().catch(() => {});
                scheduleReconnect();
              }
            },
          );
          pending.add(listening);
          void listening.finally(() => pending.delete(listening));
        }
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    async ready() {
      await first;
      await connecting;
      await Promise.all([...pending]);
    },
    connected: () => client !== undefined,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await connecting;
      const live = client;
      client = undefined;
      await live?.end().catch(() => {});
      listeners.clear();
    },
  };
}

/**
 * The hub a worker should use: the process's shared one when given, else its own on
 * `databaseUrl` (tests and tools that run one worker alone), else none (the worker polls).
 * `release` stops only a hub this call created.
 */
export function notificationsFor(options: { notifications?: Notifications; databaseUrl?: string }): {
  hub: Notifications | undefined;
  release(): Promise<void>;
} {
  if (options.notifications) return { hub: options.notifications, release: async () => {} };
  if (!options.databaseUrl) return { hub: undefined, release: async () => {} };
  const own = createNotifications({ databaseUrl: options.databaseUrl });
  return { hub: own, release: () => own.stop() };
}
