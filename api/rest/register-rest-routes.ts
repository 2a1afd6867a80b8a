import type { FastifyInstance } from 'fastify';
import type { Permission } from '../auth/permissions.js';
import type { ApiServices } from '../services/api-services.js';
import { parseInput } from '../services/parse-input.js';
import type { RestRoute } from './define-route.js';
import { authenticateBearer } from './rest-auth.js';

/** Requests larger than this are refused with 413 payload_too_large before they are parsed. */
export const REST_BODY_LIMIT = 64 * 1024;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs, or `public`; the permission test reads it from every /v1 route. */
    permission?: Permission | 'public';
  }
}

/** Registers the REST routes: Bearer auth and the route's permission, strict input, documented output. */
export function registerRestRoutes(
  app: FastifyInstance,
  routes: readonly RestRoute[],
  services: ApiServices,
): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path.replace(/\{(\w+)\}/g, ':$1'),
      bodyLimit: REST_BODY_LIMIT,
      config: { permission: route.permission },
      handler: async (request, reply) => {
        const actor = await authenticateBearer(services.db, request, route.permission);
        const params = route.params ? parseInput(route.params, request.params, 'path parameters') : undefined;
        const query = route.query ? parseInput(route.query, request.query ?? {}, 'query') : undefined;
        const body = route.body ? parseInput(route.body, request.body ?? {}, 'body') : undefined;
        const result = await route.handler({ params, query, body, actor, services, request });
        if (!route.success.schema) return reply.code(route.success.status).send();
        // The answer goes through its documented schema: what the document says is what is sent.
        const json: unknown = JSON.parse(JSON.stringify(result));
        return reply.code(route.success.status).send(route.success.schema.parse(json));
      },
    });
  }
}
