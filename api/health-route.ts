import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Db } from '../core/db/database.js';
import { migrationStatus } from '../core/db/migrate.js';
import { consumerStatuses } from '../core/log/consumer-status.js';

/** Extra sections contributed by other parts (the warehouse mirror, BigQuery export...). */
export type HealthSection = () => Promise<Record<string, unknown>>;

/**
 * GET /health: 200 when the database answers and every migration is applied, 503 otherwise,
 * with details of the database, migrations and every log consumer's position and lag.
 */
export function registerHealthRoute(
  app: FastifyInstance,
  deps: { db: Db; pool: pg.Pool; sections?: Record<string, HealthSection> },
) {
  app.get('/health', async (_request, reply) => {
    const started = performance.now();
    let database: Record<string, unknown>;
    let migrations: Record<string, unknown> = { applied: 0, pending: [] };
    let consumers: unknown[] = [];
    let ok = true;
    try {
      const result = await deps.pool.query<{ version: string }>('select version() as version');
      database = {
        ok: true,
        version: result.rows[0]?.version,
        latency_ms: Math.round(performance.now() - started),
      };
      const status = await migrationStatus(deps.pool);
      migrations = {
        ok: status.pending.length === 0,
        applied: status.applied.length,
        latest: status.applied.at(-1) ?? null,
        pending: status.pending,
      };
      ok = status.pending.length === 0;
      consumers = await consumerStatuses(deps.db);
    } catch (error) {
      ok = false;
      database = { ok: false, error: (error as Error).message };
    }
    const sections: Record<string, unknown> = {};
    for (const [name, section] of Object.entries(deps.sections ?? {})) {
      sections[name] = await section().catch((error: unknown) => ({
        ok: false,
        error: (error as Error).message,
      }));
    }
    return reply
      .code(ok ? 200 : 503)
      .send({ status: ok ? 'ok' : 'unavailable', database, migrations, consumers, ...sections });
  });
}
