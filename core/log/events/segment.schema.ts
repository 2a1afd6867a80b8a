import { z } from 'zod';
import { defineEvent, idString } from './envelope.js';

/**
 * Membership of a segment materialised for a send: who was in it at that
 * moment, so that reminders and analysts can tell exactly whom a send addressed.
 */
export const segmentSnapshotPayloadSchema = z.object({
  segment_id: idString,
  snapshot_id: idString,
  count: z.number().int().nonnegative(),
  /** sha256 (hex) of the exact SQL that ran. */
  sql_hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The warehouse had applied the log up to this position when the query ran. */
  log_position: z.string().regex(/^\d+$/),
  by: z.string().min(1),
});

export const segmentEvents = [defineEvent('segment.snapshot', segmentSnapshotPayloadSchema)] as const;
