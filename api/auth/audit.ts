import type { Tx } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';
import type { OperatorActor } from '../../core/log/events/operator.schema.js';
import { type Actor, auditActor } from './actor.js';

export interface AuditEntry {
  action: string;
  target: { kind: string; id: string };
  details?: Record<string, unknown>;
  /** Set for actions about one person (PII reveal), so the contact's history shows them. */
  contactId?: string;
  channel?: string;
}

/**
 * Appends an `operator.action` event in the caller's transaction: the change and the record
 * of who made it commit together or not at all (DESIGN.md, principle 1).
 */
export async function audit(tx: Tx, actor: Actor | OperatorActor, entry: AuditEntry): Promise<void> {
  const who = 'permissions' in actor ? auditActor(actor) : actor;
  await append(tx, [
    {
      type: 'operator.action',
      source: 'api',
      contact_id: entry.contactId ?? null,
      channel: entry.channel ?? null,
      payload: { actor: who, action: entry.action, target: entry.target, details: entry.details ?? {} },
    },
  ]);
}
