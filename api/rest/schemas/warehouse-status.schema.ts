import { z } from 'zod';

/**
 * GET /v1/warehouse/status and tRPC warehouse.status: the DuckDB mirror's lag and the
 * BigQuery export's progress, the same figures /health shows (warehouse/duckdb/mirror-status.ts,
 * warehouse/bigquery/bigquery-export-status.ts).
 */
const timestamp = z.string().nullable().meta({ description: 'ISO 8601 time, or null' });

export const mirrorStatusSchema = z
  .object({
    ok: z.boolean(),
    state: z.enum(['starting', 'catching_up', 'waiting', 'idle', 'error', 'stopped']),
    file: z.string().meta({ description: 'The DuckDB file the mirror writes' }),
    cursor: z
      .object({ xid: z.string(), event_id: z.string(), log_position: z.string() })
      .nullable()
      .meta({ description: 'The last event applied: its (xid, id) and its position in the log' }),
    lag_events: z
      .number()
      .int()
      .meta({ description: 'Events committed after the cursor (capped at 100,000)' }),
    lag_seconds: z
      .number()
      .meta({ description: 'Age of the oldest event not yet mirrored; 0 when caught up' }),
    last_batch_at: timestamp,
    last_checkpoint_at: timestamp,
    last_error: z.string().nullable(),
    last_error_at: timestamp,
  })
  .meta({ id: 'WarehouseMirrorStatus' });

export const bigQueryExportStatusSchema = z
  .object({
    ok: z.boolean(),
    dataset: z.string(),
    last_exported_event: z
      .object({ log_position: z.string(), event_id: z.string().nullable() })
      .meta({ description: 'Every table holds the rows of the log up to this event' }),
    lag_events: z
      .number()
      .int()
      .meta({ description: 'Log positions the slowest table is behind the mirror' }),
    lag_seconds: z.number().meta({ description: 'Age of the oldest event not exported by every table' }),
    last_error: z.string().nullable(),
    last_error_at: timestamp,
    next_attempt_at: timestamp,
    tables: z.array(
      z.object({
        table: z.string(),
        exported_position: z.string(),
        pending_to: z.string().nullable().meta({ description: 'End of a load in progress (or to retry)' }),
        last_job_id: z.string().nullable(),
        last_load_at: timestamp,
        last_error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'BigQueryExportStatus' });

export const warehouseStatusSchema = z
  .object({
    mirror: mirrorStatusSchema,
    bigquery_export: bigQueryExportStatusSchema
      .nullable()
      .meta({ description: 'Null when no BigQuery export is configured' }),
  })
  .meta({ id: 'WarehouseStatus' });
export type WarehouseStatus = z.infer<typeof warehouseStatusSchema>;
