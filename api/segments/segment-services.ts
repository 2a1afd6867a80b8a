import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError } from '../../core/errors.js';
import type { OnSegmentChange, SnapshotWarehouse } from '../../engine/segments/index.js';
import { type Actor, can } from '../auth/actor.js';
import { audit } from '../auth/audit.js';
import type { ApiServices } from '../services/api-services.js';

/**
 * The mirror's sandbox bound to the caller: their SQL reads the masked catalogue unless they
 * have pii.read. 503 when the platform runs without a warehouse.
 */
export function segmentWarehouseOf(services: ApiServices, actor: Actor): SnapshotWarehouse {
  const mirror = services.warehouse;
  if (!mirror) throw new AppError('unavailable', 'the warehouse (DuckDB mirror) is not running');
  return {
    sandbox: (sql, options) => mirror.sandbox(sql, options),
    status: () => mirror.status(),
    drain: () => mirror.drain(),
    query: (sql, params, options) => mirror.query(sql, params, options),
    canReadPii: can(actor, 'pii.read'),
  };
}

/**
 * Logs that the caller saw the names and numbers of a segment preview: one pii.reveal per
 * person, as the people pages log a reveal, so each person's history shows it.
 */
export async function auditPreviewReveal(db: DbOrTx, actor: Actor, contactIds: readonly string[]) {
  if (contactIds.length === 0) return;
  await inTransaction(db, async (tx) => {
    const channels = await tx
      .selectFrom('contacts')
      .select(['id', 'channel'])
      .where('id', 'in', [...contactIds])
      .execute();
    const channelOf = new Map(channels.map((c) => [String(c.id), c.channel]));
    for (const id of contactIds) {
      await audit(tx, actor, {
        action: 'pii.reveal',
        target: { kind: 'contact', id },
        contactId: id,
        channel: channelOf.get(id),
        details: { fields: ['wa_id', 'name'], via: 'segment preview' },
      });
    }
  });
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
