import type { DatabaseHandle } from '../core/db/database.js';
import { type ApiDeps, registerApi } from './register-api.js';
import { buildServer } from './server.js';

/**
 * The API as the platform mounts it (tRPC, REST, OpenAPI), on a silent Fastify for tests that
 * call it through `inject`: no public URL, local webhooks refused and no channels unless given.
 */
export function buildTestApiServer(database: DatabaseHandle, deps: Partial<Omit<ApiDeps, 'database'>> = {}) {
  return buildServer({
    config: { logLevel: 'silent' },
    database,
    routes: [
      (scope) =>
        registerApi(scope, {
          database,
          config: { publicUrl: undefined, allowLocalWebhooks: false },
          channels: [],
          ...deps,
        }),
    ],
  });
}
