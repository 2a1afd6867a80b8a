import type { Config } from '../../core/config.js';
import type { Db } from '../../core/db/database.js';
import type { LiveEventFeed } from '../../core/log/live-event-feed.js';
import type { SegmentMirror } from '../../engine/segments/index.js';
import type { TemplateAccount } from '../../engine/templates/index.js';
import type { Channel } from '../../ingest/channels.js';
import type { BigQueryExportStatus } from '../../warehouse/bigquery/bigquery-export-status.js';
import type { Mirror } from '../../warehouse/duckdb/mirror.js';
import type { LookupAll } from '../webhooks/ssrf-guard.js';
import type { SimulatorApi } from './simulator-api.js';

/**
 * The running warehouse, given once: the DuckDB mirror's parts the API uses (trusted `query`
 * for the Data Export API, `maskedQuery` for the same without pii.read, `sandbox` for SQL
 * people write, `status` and `drain`) and, when a
 * BigQuery export is configured, its status. The platform's Mirror fits as it is.
 */
export interface ApiWarehouse extends SegmentMirror {
  maskedQuery: Mirror['maskedQuery'];
  bigQueryExportStatus?: () => Promise<BigQueryExportStatus>;
}

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
  /** Data export, warehouse status and segments answer 503 without it. */
  warehouse?: ApiWarehouse;
  /** The business account whose templates are managed; template procedures answer 503 without it. */
  templateAccount?: TemplateAccount;
}
