import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../core/config.js';
import { createDatabase, type DatabaseHandle } from '../core/db/database.js';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '../core/db/embedded-postgres.js';
import { migrate } from '../core/db/migrate.js';
import type { Consumer } from '../core/log/consumer.js';
import { type ConsumerRunner, startConsumerRunner } from '../core/log/consumer-runner.js';
import { buildServer } from './server.js';

export interface Platform {
  url: string;
  app: FastifyInstance;
  database: DatabaseHandle;
  consumers: ConsumerRunner;
  /** Drains in-flight requests and workers, then stops the embedded Postgres if we started it. */
  stop(): Promise<void>;
}

/**
 * Starts the whole platform: database (embedded when DATABASE_URL is unset), migrations,
 * log consumers, workers and the HTTP server. Used by api/main.ts and by end-to-end tests.
 */
export async function startPlatform(config: Config, options: { log?: (line: string) => void } = {}): Promise<Platform> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true });

  let embedded: EmbeddedPostgresHandle | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir, port: config.embeddedPostgresPort });
    databaseUrl = embedded.url;
    log(`Embedded Postgres running on port ${embedded.port} with data in ${dataDir}/postgres`);
  }

  const database = createDatabase(databaseUrl);
  const stops: (() => Promise<void>)[] = [];
  try {
    await migrate(database.pool);

    const consumers: Consumer[] = [];
    const consumerRunner = await startConsumerRunner({
      db: database.db,
      databaseUrl,
      consumers,
      onError: (name, error) => log(`consumer ${name} failed: ${(error as Error).message}`),
    });
    stops.push(() => consumerRunner.stop());

    const app = await buildServer({ config, database, routes: [] });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = config.publicUrl ?? `http://localhost:${port}`;

    return {
      url,
      app,
      database,
      consumers: consumerRunner,
      async stop() {
        await app.close();
        for (const stop of stops.reverse()) await stop();
        await database.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await database.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw error;
  }
}
