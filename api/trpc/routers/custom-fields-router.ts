import { z } from 'zod';
import {
  createCustomField,
  deleteCustomField,
  listCustomFields,
  updateCustomField,
} from '../../../engine/people/index.js';
import { auditActor } from '../../auth/actor.js';
import { idSchema } from '../common.schema.js';
import { customFieldCreateInputSchema, customFieldUpdateInputSchema } from '../people.schema.js';
import { permissionProcedure, router } from '../trpc.js';

/** Settings → Custom fields; changes are logged as operator.action. */
export const customFieldsRouter = router({
  list: permissionProcedure('contacts.read').query(({ ctx }) => listCustomFields(ctx.db)),

  create: permissionProcedure('settings.manage')
    .input(customFieldCreateInputSchema)
    .mutation(({ ctx, input }) => createCustomField(ctx.db, auditActor(ctx.actor), input)),

  update: permissionProcedure('settings.manage')
    .input(customFieldUpdateInputSchema)
    .mutation(({ ctx, input }) => updateCustomField(ctx.db, auditActor(ctx.actor), input)),

  delete: permissionProcedure('settings.manage')
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => deleteCustomField(ctx.db, auditActor(ctx.actor), input.id)),
});
