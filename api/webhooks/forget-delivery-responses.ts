import { sql } from 'kysely';
import type { Tx } from '../../core/db/database.js';

/**
 * Part of a person's erasure (api/rest/data/erase-person.ts): an integrator's answer to a
 * delivery of one of their events may echo what it received (their number, their words), so
 * the stored excerpts of those answers are dropped. Status codes, latencies and errors stay:
 * the webhooks page still shows how each delivery went. Returns the attempts changed.
 */
export async function forgetDeliveryResponses(tx: Tx, contactId: string): Promise<number> {
  const result = await sql`
    update webhook_delivery_attempts a set response_excerpt = null
    from webhook_deliveries d join events e on e.id = d.event_id
    where a.delivery_id = d.id and e.contact_id = ${contactId} and a.response_excerpt is not null`.execute(
    tx,
  );
  return Number(result.numAffectedRows ?? 0);
}
