import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../core/config.js';
import type { DatabaseHandle } from '../core/db/database.js';
import { replaceNul } from '../core/db/replace-nul.js';
import { prettyLogStream, registerRequestLog, usePrettyLogs } from './console-log.js';
import { registerCrossSiteGuard } from './cross-site-guard.js';
import { registerErrorHandler } from './error-handler.js';
import { type HealthSection, registerHealthRoute } from './health-route.js';
import { registerSecurityHeaders } from './security-headers.js';

export interface ServerDeps {
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'trustProxy' | 'publicUrl' | 'logFormat'>>;
  database: DatabaseHandle;
  healthSections?: Record<string, HealthSection>;
  /** Route groups from ingest/, engine/, warehouse/, each registered in its own scope. */
  routes?: ((app: FastifyInstance) => void | Promise<void>)[];
}

/** The HTTP server: health, webhooks, simulator, later REST, tRPC and the dashboard. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      deps.config.logLevel === 'silent'
        ? false
        : {
            level: deps.config.logLevel,
            ...(usePrettyLogs(deps.config.logFormat ?? 'auto') ? { stream: prettyLogStream() } : {}),
          },
    // Requests are logged by registerRequestLog: only errors and slow ones at info.
    disableRequestLogging: true,
    bodyLimit: 1024 * 1024,
    // Webhook senders retry on slow answers: keep connections alive and answer fast.
    keepAliveTimeout: 65_000,
    // Behind a reverse proxy the client's address (sign-in limits) comes from X-Forwarded-For,
    // believed only from the configured proxies.
    trustProxy: trustProxyOption(deps.config.trustProxy ?? false),
  });
  registerErrorHandler(app);
  registerRequestLog(app);
  registerSecurityHeaders(app);
  registerCrossSiteGuard(app, { publicUrl: deps.config.publicUrl });
  // Parsed JSON bodies (REST, tRPC) may carry NUL, which Postgres refuses: replaced as
  // webhooks and imports do. Raw bodies (the signed webhook bytes) are left as they are.
  app.addHook('preValidation', async (request) => {
    if (typeof request.body === 'object' && request.body !== null && !Buffer.isBuffer(request.body))
      request.body = replaceNul(request.body);
  });
  registerHealthRoute(app, {
    db: deps.database.db,
    pool: deps.database.pool,
    sections: deps.healthSections,
  });
  for (const routes of deps.routes ?? []) {
    await app.register(async (scope) => {
      await routes(scope);
    });
  }
  return app;
}

/** Fastify's typings take a hop count only as a function: trust the first `hops` proxies. */
function trustProxyOption(trust: false | number | string[]) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}
