import { z } from 'zod';
import { getContact, listContacts } from '../../../engine/people/index.js';
import { presentContact, revealContact, updateContact } from '../../services/contacts.js';
import { idSchema } from '../common.schema.js';
import { permissionProcedure, router } from '../trpc.js';

/**
 * Contacts in the dashboard: always masked (for every role) until a member with pii.read
 * asks to reveal one, which is logged as an operator event.
 */
export const contactsRouter = router({
  list: permissionProcedure('contacts.read')
    .input(
      z.strictObject({
        channel: z.string().min(1).optional(),
        afterId: idSchema.optional(),
        limit: z.number().int().min(1).max(200).optional(),
      }),
    )
    .query(async ({ ctx, input }) =>
      (await listContacts(ctx.db, input)).map((c) => presentContact(c, false)),
    ),

  get: permissionProcedure('contacts.read')
    .input(z.strictObject({ id: idSchema }))
    .query(async ({ ctx, input }) => presentContact(await getContact(ctx.db, input.id), false)),

  revealPii: permissionProcedure('pii.read')
    .input(z.strictObject({ id: idSchema, reason: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) => revealContact(ctx.db, ctx.actor, input.id, input.reason)),

  update: permissionProcedure('contacts.write')
    .input(z.strictObject({ id: idSchema, name: z.string().trim().min(1).max(200).nullable() }))
    .mutation(async ({ ctx, input }) =>
      presentContact(await updateContact(ctx.db, ctx.actor, input.id, { name: input.name }), false),
    ),
});
