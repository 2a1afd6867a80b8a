import { z } from 'zod';
import { AppError } from '../../../core/errors.js';
import { simulatorInboundSchema } from '../../services/simulator-api.js';
import type { Context } from '../context.js';
import { permissionProcedure, router } from '../trpc.js';

const use = permissionProcedure('simulator.use');
const waIdSchema = z.string().regex(/^\d{5,20}$/, 'a WhatsApp id is the phone number in digits');

function simulator(ctx: Context) {
  const api = ctx.services.simulator;
  if (!api) throw new AppError('unavailable', 'the simulator channel is not running (PARLEY_SIMULATOR=off)');
  return api;
}

/**
 * Chat with the service as a test person. Test numbers are not personal data, so the
 * conversation is shown as is. Replies and ticks arrive live through events.onNew
 * ({ channel: 'simulator' } or the conversation's contact id); refetch the conversation on each.
 */
export const simulatorRouter = router({
  status: use.query(({ ctx }) => ({
    running: ctx.services.simulator !== undefined,
    channel: ctx.services.simulator?.channel ?? null,
  })),

  send: use
    .input(
      z.strictObject({
        waId: waIdSchema,
        name: z.string().trim().min(1).max(100).optional(),
        contextId: z.string().min(1).optional(),
        content: simulatorInboundSchema,
      }),
    )
    .mutation(({ ctx, input }) => simulator(ctx).send(input)),

  conversation: use
    .input(z.strictObject({ waId: waIdSchema }))
    .query(({ ctx, input }) => simulator(ctx).conversation(input.waId)),

  reset: use
    .input(z.strictObject({ waId: waIdSchema }))
    .mutation(({ ctx, input }) => simulator(ctx).reset(input.waId)),
});
