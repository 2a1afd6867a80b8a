import { z } from 'zod';
import type { SimulatorConversation } from '../../ingest/simulator/simulator-conversation.js';

/**
 * What the dashboard's Simulator page asks of the simulator channel (ingest/simulator, on
 * the fake Graph API): the test person sends text or answers buttons and lists, sees the
 * conversation with delivery ticks, and can start over. api/trpc/simulator-service.ts makes
 * one from the running fake Graph API; the platform passes it to registerApi.
 */
export const simulatorInboundSchema = z.union([
  z.strictObject({ text: z.string().min(1).max(4096) }),
  z.strictObject({ button_reply: z.strictObject({ id: z.string().min(1), title: z.string().min(1) }) }),
  z.strictObject({
    list_reply: z.strictObject({
      id: z.string().min(1),
      title: z.string().min(1),
      description: z.string().optional(),
    }),
  }),
]);
export type SimulatorInbound = z.infer<typeof simulatorInboundSchema>;

export interface SimulatorApi {
  /** The simulator channel's name, as stored on events and contacts. */
  channel: string;
  /** The test person sends a message; resolves once the webhook carrying it was accepted. */
  send(input: {
    waId: string;
    name?: string;
    contextId?: string;
    content: SimulatorInbound;
  }): Promise<{ id: string }>;
  /** The conversation since the last reset, as stored in Parley, with each message's status (the ticks). */
  conversation(waId: string): Promise<SimulatorConversation>;
  /** Starts over: appends simulator.reset and clears the fake phone. */
  reset(waId: string): Promise<{ contact_id: string | null }>;
}
