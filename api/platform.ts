import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../core/config.js';
import { createDatabase, type DatabaseHandle } from '../core/db/database.js';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '../core/db/embedded-postgres.js';
import { migrate } from '../core/db/migrate.js';
import { createNotifications } from '../core/db/notifications.js';
import { startJobWorker } from '../core/jobs/job-worker.js';
import { jobsSweepHandler, scheduleJobsSweep } from '../core/jobs/sweep-jobs.js';
import type { Consumer } from '../core/log/consumer.js';
import { type ConsumerRunner, startConsumerRunner } from '../core/log/consumer-runner.js';
import { defaultReplyAutomation, defaultReplyConsumer } from '../engine/automations/index.js';
import {
  chargesConsumer,
  ensureSeedRateCard,
  lowBalanceCheckHandler,
  scheduleLowBalanceCheck,
} from '../engine/billing/index.js';
import { createImportWorker } from '../engine/people/index.js';
import { createReminderRunner, reminderOutcomesConsumer } from '../engine/reminders/index.js';
import { routingConsumer } from '../engine/routing/index.js';
import { type Channel, whatsappChannelFromConfig } from '../ingest/channels.js';
import { type FakeGraphApi, startFakeGraphApi } from '../ingest/fake-graph-api/fake-graph-api.js';
import { simulatorChannel } from '../ingest/simulator/simulator-channel.js';
import { registerSimulatorRoutes } from '../ingest/simulator/simulator-routes.js';
import { createSender } from '../ingest/whatsapp/sender.js';
import { registerWhatsAppWebhook } from '../ingest/whatsapp/webhook-route.js';
import { createBigQueryExport } from '../warehouse/bigquery/bigquery-export.js';
import { type Mirror, startMirror } from '../warehouse/duckdb/mirror.js';
import { ensureFirstAdmin } from './auth/first-admin.js';
import { ensureDashboardBuilt, registerDashboard } from './dashboard-static.js';
import { registerApi } from './register-api.js';
import { buildServer } from './server.js';
import { templateAccountFor } from './templates/template-account.js';
import { simulatorService } from './trpc/simulator-service.js';
import { startWebhookDeliveryWorker } from './webhooks/delivery-worker.js';
import { webhookConsumers } from './webhooks/webhook-consumers.js';

export interface Platform {
  url: string;
  app: FastifyInstance;
  database: DatabaseHandle;
  consumers: ConsumerRunner;
  /** The DuckDB warehouse mirror: `query` for our code, `sandbox` for SQL people write. */
  mirror: Mirror;
  /**
   * The simulator's fake Graph API (absent when the simulator is off): it plays Meta, so a
   * test approves or rejects a template with its `setTemplateStatus`, as Meta's review would.
   */
  simulatorGraph?: FakeGraphApi;
  /** Drains in-flight requests and workers, then stops the embedded Postgres if we started it. */
  stop(): Promise<void>;
}

/**
 * Starts the whole platform: database (embedded when DATABASE_URL is unset), migrations,
 * log consumers, workers and the HTTP server. Used by api/main.ts and by end-to-end tests.
 */
export async function startPlatform(
  config: Config,
  options: { log?: (line: string) => void } = {},
): Promise<Platform> {
  const log = options.log ?? ((line: string) => console.log(line));
  // A stop that hangs says which part it waits for, so a slow shutdown can be told apart.
  async function timed(name: string, stop: () => Promise<void> | undefined) {
    const started = Date.now();
    const waiting = setInterval(
      () => log(`stopping: still waiting for ${name} (${Math.round((Date.now() - started) / 1000)} s)`),
      5000,
    );
    try {
      await stop();
    } finally {
      clearInterval(waiting);
    }
  }
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
  const stops: [name: string, stop: () => Promise<void>][] = [];
  let closeHttp: (() => Promise<void>) | undefined;
  try {
    await migrate(database.pool);
    // Every message must be priceable from the first start: publish the seed rate card once.
    await ensureSeedRateCard(database.db);

    // One LISTEN connection for the whole process: every worker, consumer and the live feed
    // subscribe to it; it reconnects by itself and wakes them all when it does.
    const notifications = createNotifications({
      databaseUrl,
      onError: (error) => log(`notifications: ${(error as Error).message}`),
    });
    stops.push(['notifications', () => notifications.stop()]);

    // The warehouse mirror follows the log with its own cursor inside the DuckDB file.
    const mirror = await startMirror({
      databaseUrl,
      notifications,
      dataDir,
      onError: (error) => log(`warehouse mirror: ${(error as Error).message}`),
    });
    stops.push(['warehouse mirror', () => mirror.stop()]);
    const bigQueryExport = config.bigquery
      ? await createBigQueryExport({
          db: database.db,
          reader: mirror,
          target: config.bigquery,
          onError: (error) => log(`bigquery export: ${(error as Error).message}`),
        })
      : undefined;
    if (bigQueryExport) {
      bigQueryExport.start();
      stops.push(['BigQuery export', () => bigQueryExport.stop()]);
    }

    // Channels: the configured WhatsApp number, and the simulator, which plays Meta with the
    // project's fake Graph API on a loopback port (fresh secrets every boot).
    const channels: Channel[] = [];
    const whatsapp = whatsappChannelFromConfig(config);
    if (whatsapp) channels.push(whatsapp);
    let fakeGraph: FakeGraphApi | undefined;
    if (config.simulator) {
      const appSecret = randomBytes(32).toString('hex');
      const accessToken = randomBytes(16).toString('hex');
      const fake = await startFakeGraphApi({ appSecret, accessToken });
      fakeGraph = fake;
      stops.push(['fake Graph API (simulator)', () => fake.stop()]);
      channels.push(simulatorChannel({ fakeGraphUrl: fake.url, appSecret, accessToken }));
    }

    const defaultReply = { defaultReply: config.defaultReply };
    const consumers: Consumer[] = [
      // Routing gives each inbound message one owner; the owners act on `message.routed`.
      routingConsumer({ automations: [defaultReplyAutomation(defaultReply)] }),
      defaultReplyConsumer(defaultReply),
      chargesConsumer(),
      reminderOutcomesConsumer(),
      ...webhookConsumers(),
    ];
    const consumerRunner = await startConsumerRunner({
      db: database.db,
      notifications,
      consumers,
      onError: (name, error) => log(`consumer ${name} failed: ${(error as Error).message}`),
    });
    stops.push(['log consumers', () => consumerRunner.stop()]);

    const db = database.db;
    // npm start on a fresh clone builds the dashboard first (a few seconds, once).
    const dashboardDir = await ensureDashboardBuilt(resolve(import.meta.dirname, '..'));
    const app = await buildServer({
      config,
      database,
      healthSections: {
        warehouse: () => mirror.status(),
        ...(bigQueryExport ? { bigquery_export: () => bigQueryExport.status() } : {}),
      },
      routes: [
        ...channels.map(
          (channel) => (scope: FastifyInstance) => registerWhatsAppWebhook(scope, { db, channel }),
        ),
        ...(fakeGraph ? [(scope: FastifyInstance) => registerSimulatorRoutes(scope, { db, fakeGraph })] : []),
        (scope) =>
          registerApi(scope, {
            database,
            notifications,
            config,
            channels,
            warehouse: {
              ...mirrorParts(mirror),
              ...(bigQueryExport ? { bigQueryExportStatus: () => bigQueryExport.status() } : {}),
            },
            templateAccount: templateAccountFor(config, channels),
            simulator: fakeGraph ? simulatorService({ db, fakeGraph, channel: 'simulator' }) : undefined,
          }),
        (scope) => registerDashboard(scope, { distDir: dashboardDir }),
      ],
    });
    await app.listen({ port: config.port, host: config.host });
    // HTTP stops first (see stop() below), so it is kept apart from the workers' stops.
    closeHttp = () => app.close();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = config.publicUrl ?? `http://localhost:${port}`;
    // The fake posts its webhooks to this process over loopback, whatever the public URL is.
    fakeGraph?.setWebhookUrl(`http://127.0.0.1:${port}/webhooks/simulator`);

    const sender = createSender({
      db,
      notifications,
      channels,
      onError: (error) => log(`sender: ${(error as Error).message}`),
    });
    await sender.start();
    stops.push(['sender', () => sender.stop()]);

    // CSV imports of people: durable, so an import queued before a restart continues after it.
    const importWorker = createImportWorker({
      db,
      notifications,
      onError: (error) => log(`contact import: ${(error as Error).message}`),
    });
    await importWorker.start();
    stops.push(['contact imports', () => importWorker.stop()]);

    const webhookWorker = startWebhookDeliveryWorker({
      db,
      notifications,
      allowLocal: config.allowLocalWebhooks,
      onError: (error) => log(`webhook delivery: ${(error as Error).message}`),
    });
    stops.push(['webhook deliveries', () => webhookWorker.stop()]);

    // Reminders: due runs, their recipients and the messaging limit, all claimed from Postgres.
    const reminders = createReminderRunner({
      db,
      // A run's segment snapshot yields contact ids for sending, never shown to anyone: it reads
      // the real catalogue, so a segment selects the same people whoever scheduled it.
      warehouse: { ...mirrorParts(mirror), canReadPii: true },
      messagingLimit: config.messagingLimit,
      onError: (error) => log(`reminders: ${(error as Error).message}`),
    });
    reminders.start();
    stops.push(['reminders', () => reminders.stop()]);

    // Timers on core/jobs, one run each whatever the number of instances: the low-balance alert
    // repeats every two days while it lasts, even when nothing is sent (an hourly check), and
    // finished jobs are swept daily so the table holds only recent ones.
    await db.transaction().execute(async (tx) => {
      await scheduleLowBalanceCheck(tx);
      await scheduleJobsSweep(tx);
    });
    const timers = startJobWorker({
      db,
      notifications,
      handlers: [lowBalanceCheckHandler, jobsSweepHandler],
      concurrency: 1,
      onError: (error) => log(`timers: ${(error as Error).message}`),
    });
    stops.push(['timers', () => timers.stop()]);

    const firstAdmin = await ensureFirstAdmin(db, config);
    if (firstAdmin.kind === 'setup') {
      // Set apart by blank lines: the one line a new user must not miss among the others.
      log('');
      log(`No users yet: create the first admin at ${firstAdmin.url ?? `${url}${firstAdmin.path}`}`);
      log('');
    } else if (firstAdmin.kind === 'created') {
      log(`Created the first admin ${firstAdmin.email}`);
    }

    return {
      url,
      app,
      database,
      consumers: consumerRunner,
      mirror,
      simulatorGraph: fakeGraph,
      async stop() {
        // Dependency order: HTTP first (no new webhooks or uploads; in-flight requests finish;
        // live-feed and SSE streams are ended by registerApi's preClose hook), then the
        // workers and consumers, newest first, then the database, and last the embedded
        // Postgres, which runs in its own process group so a terminal's Ctrl-C never
        // reaches it before this point.
        await timed('HTTP server', () => closeHttp?.());
        for (const [name, stop] of stops.reverse()) await timed(name, stop);
        await timed('database pool', () => database.close());
        await timed('embedded Postgres', () => embedded?.stop());
      },
    };
  } catch (error) {
    await closeHttp?.().catch(() => {});
    for (const [, stop] of stops.reverse()) await stop().catch(() => {});
    await database.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw error;
  }
}

/** The mirror's parts the API and reminder runs use, bound so they can be passed on alone. */
function mirrorParts(mirror: Mirror) {
  return {
    sandbox: mirror.sandbox.bind(mirror),
    status: mirror.status.bind(mirror),
    drain: mirror.drain.bind(mirror),
    query: mirror.query.bind(mirror),
    maskedQuery: mirror.maskedQuery.bind(mirror),
  };
}
