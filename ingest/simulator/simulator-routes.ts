import type { FastifyInstance } from 'fastify';
import type { Db } from '../../core/db/database.js';
import { AppError, fieldErrorsFromZod } from '../../core/errors.js';
import type { FakeGraphApi } from '../fake-graph-api/fake-graph-api.js';
import { resetSimulatorContact } from './reset-simulator-contact.js';
import { simulatorConversation } from './simulator-conversation.js';
import { simulatorMessageSchema, waIdParamSchema } from './simulator-message.schema.js';
import { simulatorPage } from './simulator-page.js';

export interface SimulatorRoutesDeps {
  db: Db;
  /** The fake Graph API whose webhook URL is this app's /webhooks/simulator. */
  fakeGraph: Pick<FakeGraphApi, 'simulateInbound' | 'reset'>;
  /** The simulator channel's name; default 'simulator'. */
  channel?: string;
}

/**
 * The simulator: a page where you write as a test person, and a small JSON API behind it.
 * A message typed here is posted by the fake Graph API as a signed Meta webhook to
 * /webhooks/simulator, so it takes the same path through the log as a WhatsApp message.
 */
export function registerSimulatorRoutes(app: FastifyInstance, deps: SimulatorRoutesDeps) {
  const channel = deps.channel ?? 'simulator';

  // /simulator/public, not /simulator: the dashboard's own simulator page had the same address,
  // so a reload there left the dashboard. The dashboard sends /simulator on to one or the other.
  app.get('/simulator/public', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(simulatorPage()),
  );

  app.post('/simulator/api/messages', async (request, reply) => {
    const parsed = simulatorMessageSchema.safeParse(request.body);
    if (!parsed.success) throw invalid(parsed.error.issues);
    const { from, name, text, button_reply, list_reply } = parsed.data;
    const content =
      text !== undefined ? { text } : button_reply ? { button_reply } : { list_reply: list_reply! };
    const result = await deps.fakeGraph.simulateInbound({ from, name, ...content });
    if (!result.delivery) throw new AppError('unavailable', 'the simulator has no webhook URL to deliver to');
    if (result.delivery.status !== 200) {
      throw new AppError(
        'unavailable',
        `the webhook answered ${result.delivery.status ?? 'nothing'} after ${result.delivery.attempts} attempts`,
      );
    }
    return reply.code(202).send({ id: result.id });
  });

  app.get('/simulator/api/conversations/:waId', async (request) => {
    const params = waIdParamSchema.safeParse(request.params);
    if (!params.success) throw invalid(params.error.issues);
    return simulatorConversation(deps.db, { channel, waId: params.data.waId });
  });

  app.post('/simulator/api/contacts/:waId/reset', async (request) => {
    const params = waIdParamSchema.safeParse(request.params);
    if (!params.success) throw invalid(params.error.issues);
    const contactId = await deps.db
      .transaction()
      .execute((tx) => resetSimulatorContact(tx, { channel, waId: params.data.waId }));
    deps.fakeGraph.reset(params.data.waId);
    return { wa_id: params.data.waId, contact_id: contactId, reset: true };
  });
}

function invalid(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const fields = fieldErrorsFromZod(issues);
  return new AppError('validation_failed', fields.map((f) => `${f.field}: ${f.reason}`).join('; '), fields);
}
