import type { DbOrTx } from '../db/database.js';
import type { NewEvent } from '../log/event.schema.js';

export interface MarketingPreference {
  contactId: string;
  optIn: 'opted_in' | 'opted_out';
  at: Date;
  /** Who reported it: `whatsapp` (Meta's user_preferences webhook), `user:<id>`, `import:<id>`... */
  source: string;
  detail?: string | null;
}

/**
 * Records that a person stopped or resumed marketing messages, in the caller's transaction,
 * and returns the contact.marketing_preference event to append with it. A preference older
 * than the stored one (a late or retried webhook) changes nothing and returns no event, so
 * the latest word of the person wins whatever the delivery order.
 */
export async function setMarketingPreference(
  tx: DbOrTx,
  options: { channel: string; eventSource: string; preference: MarketingPreference },
): Promise<NewEvent[]> {
  const p = options.preference;
  const row = await tx
    .updateTable('contacts')
    .set({
      marketing_opt_in: p.optIn,
      marketing_opt_in_at: p.at,
      marketing_opt_in_source: p.source,
      updated_at: new Date(),
    })
    .where('id', '=', p.contactId)
    .where((eb) => eb.or([eb('marketing_opt_in_at', 'is', null), eb('marketing_opt_in_at', '<', p.at)]))
    .returning('id')
    .executeTakeFirst();
  if (!row) return [];
  return [
    {
      type: 'contact.marketing_preference',
      source: options.eventSource,
      channel: options.channel,
      contact_id: p.contactId,
      occurred_at: p.at,
      idempotency_key: `marketing:${p.contactId}:${p.at.getTime()}:${p.optIn}`,
      payload: {
        marketing_opt_in: p.optIn,
        at: p.at.toISOString(),
        source: p.source,
        ...(p.detail && { detail: p.detail }),
      },
    },
  ];
}
