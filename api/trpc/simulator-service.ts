import type { Db } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import type { FakeGraphApi } from '../../ingest/fake-graph-api/fake-graph-api.js';
import { resetSimulatorContact } from '../../ingest/simulator/reset-simulator-contact.js';
import { simulatorConversation } from '../../ingest/simulator/simulator-conversation.js';
import type { SimulatorApi } from '../services/simulator-api.js';

/**
 * The Simulator page's actions on the running simulator channel: the same steps as
 * ingest/simulator's own JSON routes (a message becomes a signed webhook from the fake
 * Graph API; the conversation is read from Parley's tables and log; reset is logged).
 */
export function simulatorService(deps: {
  db: Db;
  fakeGraph: Pick<FakeGraphApi, 'simulateInbound' | 'reset'>;
  channel?: string;
}): SimulatorApi {
  const channel = deps.channel ?? 'simulator';
  return {
    channel,
    async send({ waId, name, contextId, content }) {
      const result = await deps.fakeGraph.simulateInbound({ from: waId, name, contextId, ...content });
      if (!result.delivery)
        throw new AppError('unavailable', 'the simulator has no webhook URL to deliver to');
      if (result.delivery.status !== 200) {
        throw new AppError(
          'unavailable',
          `the webhook answered ${result.delivery.status ?? 'nothing'} after ${result.delivery.attempts} attempts`,
        );
      }
      return { id: result.id };
    },
    conversation: (waId) => simulatorConversation(deps.db, { channel, waId }),
    async reset(waId) {
      const contactId = await deps.db
        .transaction()
        .execute((tx) => resetSimulatorContact(tx, { channel, waId }));
      deps.fakeGraph.reset(waId);
      return { contact_id: contactId };
    },
  };
}
