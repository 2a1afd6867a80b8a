import fastifyCookie from '@fastify/cookie';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../core/config.js';
import type { DatabaseHandle } from '../../core/db/database.js';
import type { Notifications } from '../../core/db/notifications.js';
import { createLiveEventFeed, type LiveEventFeed } from '../../core/log/live-event-feed.js';
import type { Channel } from '../../ingest/channels.js';
import { buildOpenApiDocument } from '../openapi/build-document.js';
import { renderReferencePage } from '../openapi/reference-page.js';
import { type ApiServices, contextFactory } from '../trpc/context.js';
import { type AppRouter, appRouter } from '../trpc/router.js';
import type { SimulatorApi } from '../trpc/simulator-api.js';
import { trpcMaxBatchSize } from '../trpc/trpc-limits.schema.js';
import type { LookupAll } from '../webhooks/ssrf-guard.js';
import { dataDownloadRouteDocs, registerDataExportDownloads } from './data-export-downloads.js';
import { peopleFileRouteDocs, registerPeopleFileRoutes } from './people-file-routes.js';
import { registerRestRoutes } from './register-rest-routes.js';
import { restRoutes } from './rest-routes.js';

export interface ApiDeps {
  database: DatabaseHandle;
  config: Pick<Config, 'publicUrl' | 'allowLocalWebhooks'> & Partial<Pick<Config, 'whatsapp'>>;
  channels: readonly Channel[];
  simulator?: SimulatorApi;
  /** Live updates for tRPC subscriptions; by default one is made here and stopped when the app closes. */
  liveFeed?: LiveEventFeed;
  /** The process's shared LISTEN connection, for the live feed made here. */
  notifications?: Notifications;
  /** DNS for the webhook SSRF guard (tests). */
  lookup?: LookupAll;
  /** The DuckDB mirror's reader (Mirror.query) for the Data Export API. */
  warehouse?: ApiServices['warehouse'];
  warehouseStatus?: ApiServices['warehouseStatus'];
  /** The mirror's sandbox for segments (the Mirror itself in the platform). */
  segmentWarehouse?: ApiServices['segmentWarehouse'];
  /** The business account whose message templates /v1/templates manages (503 without it). */
  templateAccount?: ApiServices['templateAccount'];
}

/**
 * Everything under api/ that the platform mounts, in one call: the cookie parser, tRPC at
 * /trpc (with SSE subscriptions), the REST API at /v1, GET /openapi.json and GET /docs/api.
 */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const liveFeed =
    deps.liveFeed ??
    createLiveEventFeed({
      db: deps.database.db,
      notifications: deps.notifications,
      databaseUrl: deps.database.url,
    });
  // preClose, not onClose: open SSE streams must end before the server can finish closing.
  if (!deps.liveFeed) app.addHook('preClose', () => liveFeed.stop());
  const services: ApiServices = {
    db: deps.database.db,
    config: deps.config,
    channels: deps.channels,
    simulator: deps.simulator,
    liveFeed,
    lookup: deps.lookup,
    warehouse: deps.warehouse,
    warehouseStatus: deps.warehouseStatus,
    segmentWarehouse: deps.segmentWarehouse,
    templateAccount: deps.templateAccount,
  };

  await app.register(fastifyCookie);
  await app.register(fastifyTRPCPlugin<AppRouter>, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      // A batch runs its calls at once: bounded, so one request cannot start hundreds of
      // sandbox queries or database reads (the dashboard's client batches at most as many).
      maxBatchSize: trpcMaxBatchSize,
      createContext: contextFactory(services),
      onError({ error, path, req }) {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          req.log.error({ err: error, path }, 'tRPC procedure failed');
      },
    },
  });
  registerRestRoutes(app, restRoutes, services);
  registerDataExportDownloads(app, services);
  await registerPeopleFileRoutes(app, services);

  const document = buildOpenApiDocument(restRoutes, {
    serverUrl: deps.config.publicUrl,
    fileRoutes: [...peopleFileRouteDocs, ...dataDownloadRouteDocs],
  });
  const page = renderReferencePage(document);
  app.get('/openapi.json', { config: { permission: 'public' } }, async (_request, reply) =>
    reply.send(document),
  );
  app.get('/docs/api', { config: { permission: 'public' } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(page),
  );
}
