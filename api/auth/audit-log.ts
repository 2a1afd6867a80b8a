import type { DbOrTx } from '../../core/db/database.js';

export interface AuditEntryView {
  id: string;
  occurred_at: Date;
  contact_id: string | null;
  payload: unknown;
}

/** The operator events (audit trail), newest first. */
export async function listAuditEntries(
  db: DbOrTx,
  options: { limit?: number; beforeId?: string } = {},
): Promise<AuditEntryView[]> {
  let query = db
    .selectFrom('events')
    .select(['id', 'occurred_at', 'contact_id', 'payload'])
    .where('type', '=', 'operator.action')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50);
  if (options.beforeId) query = query.where('id', '<', options.beforeId);
  return query.execute();
}
