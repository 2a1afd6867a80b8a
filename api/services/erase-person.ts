import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { type EraseContactResult, eraseContact } from '../../core/log/erase-contact.js';
import type { Actor } from '../auth/actor.js';
import { audit } from '../auth/audit.js';
import { forgetDeliveryResponses } from '../webhooks/forget-delivery-responses.js';
import { actorLabel } from './contacts.js';

/** The answer of an erasure, for REST and tRPC alike. */
export interface ErasureView {
  id: string;
  status: EraseContactResult['status'];
  erased_at: string;
  scrubbed_events: number;
  cancelled_messages: number;
}

/**
 * Erases a person (core/log/erase-contact.ts), drops the stored answers of webhook
 * deliveries of their events, and audits it as operator.action `contact.erase`, in one
 * transaction. The audit event comes after contact.erased, so no
 * mirror blanks it, and it holds no personal data (the reason must not either). Erasing an
 * erased person changes nothing and appends nothing.
 */
export async function erasePerson(
  db: DbOrTx,
  actor: Actor,
  id: string,
  reason?: string,
): Promise<ErasureView> {
  return inTransaction(db, async (tx) => {
    const result = await eraseContact(tx, { contactId: id, by: actorLabel(actor), reason });
    if (result.status === 'erased') {
      await forgetDeliveryResponses(tx, id);
      await audit(tx, actor, {
        action: 'contact.erase',
        target: { kind: 'contact', id },
        contactId: id,
        details: {
          ...(reason === undefined ? {} : { reason }),
          scrubbed_events: result.scrubbedEvents,
          cancelled_messages: result.cancelledMessages,
        },
      });
    }
    return {
      id,
      status: result.status,
      erased_at: result.erasedAt.toISOString(),
      scrubbed_events: result.scrubbedEvents,
      cancelled_messages: result.cancelledMessages,
    };
  });
}
