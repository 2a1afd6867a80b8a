import { z } from 'zod';
import { timestamp } from './common.schema.js';

/** Segments in the REST API: SQL over the warehouse (docs/warehouse.md) returning contact_id. */
export const segmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    sql: z.string().meta({ description: 'The one SELECT that defines the segment; it returns contact_id' }),
    field_keys: z.array(z.string()).meta({ description: 'Custom field keys the SQL reads' }),
    created_by: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
    archived_at: timestamp.nullable(),
    latest_count: z
      .object({ count: z.number().int(), counted_at: timestamp, log_position: z.string() })
      .nullable()
      .meta({ description: 'The last count and the warehouse log position it was taken at' }),
  })
  .meta({ id: 'Segment' });
export const segmentListSchema = z.object({ data: z.array(segmentSchema) }).meta({ id: 'SegmentList' });

export const segmentCreateSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .meta({ examples: ['Replied to the clinic reminder'] }),
    description: z.string().max(2000).nullable().optional(),
    sql: z
      .string()
      .trim()
      .min(1)
      .max(100_000)
      .optional()
      .meta({
        description: 'One SELECT over the warehouse tables returning contact_id',
        examples: ["SELECT contact_id FROM contacts WHERE language = 'en'"],
      }),
    query: z
      .string()
      .trim()
      .min(1)
      .max(5000)
      .optional()
      .meta({ description: 'Instead of sql: the query language, e.g. age > 18 AND district = "north"' }),
  })
  .refine((b) => (b.sql === undefined) !== (b.query === undefined), {
    message: 'give exactly one of sql and query',
  })
  .meta({ id: 'SegmentCreate' });

export const segmentCountSchema = z
  .object({
    segment_id: z.string(),
    count: z.number().int(),
    log_position: z.string().meta({ description: 'The warehouse had applied the log up to here' }),
    as_of: timestamp,
  })
  .meta({ id: 'SegmentCount' });

export const segmentSnapshotSchema = z
  .object({
    id: z.string(),
    segment_id: z.string(),
    count: z.number().int(),
    sql_hash: z.string().meta({ description: 'sha256 of the SQL that ran' }),
    log_position: z.string(),
    requested_by: z.string(),
    created_at: timestamp,
  })
  .meta({ id: 'SegmentSnapshot' });
