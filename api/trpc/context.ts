import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { Config } from '../../core/config.js';
import type { Db } from '../../core/db/database.js';
import type { LiveEventFeed } from '../../core/log/live-event-feed.js';
import type { SegmentMirror } from '../../engine/segments/index.js';
import type { TemplateAccount } from '../../engine/templates/index.js';
import type { Channel } from '../../ingest/channels.js';
import type { WarehouseReader } from '../../warehouse/bigquery/write-batch-file.js';
import type { Actor } from '../auth/actor.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../auth/session-cookie.js';
import { actorFromSession } from '../auth/sessions.js';
import type { WarehouseStatusSources } from '../rest/data/warehouse-status.js';
import type { LookupAll } from '../webhooks/ssrf-guard.js';
import type { SimulatorApi } from './simulator-api.js';

/** What the API needs from the platform; one object shared by tRPC and REST. */
export interface ApiServices {
  db: Db;
  config: Pick<Config, 'publicUrl' | 'allowLocalWebhooks'> & Partial<Pick<Config, 'whatsapp'>>;
  /** The running channels (the WhatsApp number and/or the simulator). */
  channels: readonly Channel[];
  /** Live updates; without it events.onNew fails with UNAVAILABLE rather than staying silent. */
  liveFeed?: LiveEventFeed;
  /** The simulator channel's actions, when it runs. */
  simulator?: SimulatorApi;
  /** DNS resolution for the SSRF guard (tests pass a fixed table). */
  lookup?: LookupAll;
  /** The DuckDB mirror's trusted reader (Mirror.query), for the Data Export API; 503 without it. */
  warehouse?: WarehouseReader;
  /** The mirror's and the BigQuery export's status, for warehouse.status and GET /v1/warehouse/status. */
  warehouseStatus?: WarehouseStatusSources;
  /** The mirror's sandbox, status and drain, for segments; their procedures answer 503 without it. */
  segmentWarehouse?: SegmentMirror;
  /** The business account whose templates are managed; template procedures answer 503 without it. */
  templateAccount?: TemplateAccount;
}

/** The session cookie, abstracted so procedures can sign in and out under createCaller too. */
export interface SessionCookieJar {
  token: string | undefined;
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export interface Context {
  services: ApiServices;
  db: Db;
  actor: Actor | null;
  /** The caller's address, for the per-address sign-in limit. */
  address: string;
  cookies: SessionCookieJar;
  setHeader(name: string, value: string): void;
}

/** tRPC's createContext for the Fastify adapter: the signed-in user comes from the session cookie. */
export function contextFactory(services: ApiServices) {
  return async ({ req, res }: CreateFastifyContextOptions): Promise<Context> => {
    const token = readSessionCookie(req);
    const actor = token ? ((await actorFromSession(services.db, token)) ?? null) : null;
    return {
      services,
      db: services.db,
      actor,
      address: req.ip,
      cookies: {
        token,
        set: (value, expiresAt) => setSessionCookie(req, res, services.config.publicUrl, value, expiresAt),
        clear: () => clearSessionCookie(req, res, services.config.publicUrl),
      },
      setHeader: (name, value) => {
        void res.header(name, value);
      },
    };
  };
}
