import type { Tx } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';

/**
 * Starts a fresh conversation for a test person: appends `simulator.reset` (the log keeps
 * everything; the simulator shows only what follows). Returns the contact id, or null when
 * the person never wrote (nothing to reset in the log).
 */
export async function resetSimulatorContact(
  tx: Tx,
  input: { channel: string; waId: string },
): Promise<string | null> {
  const contact = await tx
    .selectFrom('contacts')
    .select('id')
    .where('channel', '=', input.channel)
    .where('wa_id', '=', input.waId)
    .executeTakeFirst();
  if (!contact) return null;
  await append(tx, [
    {
      type: 'simulator.reset',
      source: 'simulator',
      channel: input.channel,
      contact_id: contact.id,
      payload: { wa_id: input.waId },
    },
  ]);
  return contact.id;
}
