import { AppError } from '../../core/errors.js';
import type { OnSegmentChange } from '../../engine/segments/segments-store.js';
import type { SnapshotWarehouse } from '../../engine/segments/snapshot-segment.js';
import type { Actor } from '../auth/actor.js';
import { audit } from '../auth/audit.js';
import type { ApiServices } from '../trpc/context.js';

/** The mirror's sandbox, or 503 when the platform runs without a warehouse. */
export function segmentWarehouseOf(services: ApiServices): SnapshotWarehouse {
  if (!services.segmentWarehouse) {
    throw new AppError('unavailable', 'the warehouse (DuckDB mirror) is not running');
  }
  return services.segmentWarehouse;
}

/** Appends the segment change's operator.action in the change's transaction. */
export function auditSegment(actor: Actor, verb: 'create' | 'update' | 'archive'): OnSegmentChange {
  return (tx, segment) =>
    audit(tx, actor, {
      action: `segment.${verb}`,
      target: { kind: 'segment', id: segment.id },
      details: { name: segment.name, field_keys: segment.fieldKeys },
    });
}
