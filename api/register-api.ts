import fastifyCookie from '@fastify/cookie';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../core/db/database.js';
import type { Notifications } from '../core/db/notifications.js';
import { createLiveEventFeed, type LiveEventFeed } from '../core/log/live-event-feed.js';
import { buildOpenApiDocument } from './openapi/build-document.js';
import { renderReferencePage } from './openapi/reference-page.js';
import { dataDownloadRouteDocs, registerDataExportDownloads } from './rest/data-export-downloads.js';
import { peopleFileRouteDocs, registerPeopleFileRoutes } from './rest/people-file-routes.js';
import { registerRestRoutes } from './rest/register-rest-routes.js';
import { restRoutes } from './rest/rest-routes.js';
import type { ApiServices } from './services/api-services.js';
import { contextFactory } from './trpc/context.js';
import { type AppRouter, appRouter } from './trpc/router.js';
import { trpcMaxBatchSize } from './trpc/trpc-limits.schema.js';

/**
 * What the platform gives the API: the services, except the database handle in place of its
 * pool (the live feed needs the URL) and the live feed made here unless one is given.
 */
export interface ApiDeps extends Omit<ApiServices, 'db' | 'liveFeed'> {
  database: DatabaseHandle;
  /** Live updates for tRPC subscriptions; by default one is made here and stopped when the app closes. */
  liveFeed?: LiveEventFeed;
  /** The process's shared LISTEN connection, for the live feed made here. */
  notifications?: Notifications;
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
  const { database, notifications: _notifications, ...given } = deps;
  const services: ApiServices = { ...given, db: database.db, liveFeed };

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
