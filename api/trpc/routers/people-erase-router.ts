import { z } from 'zod';
import { erasePerson } from '../../rest/data/erase-person.js';
import { idSchema } from '../common.schema.js';
import { permissionProcedure, router } from '../trpc.js';

/**
 * `people.erase` for the person page: merged as `peopleErase` until the people router exists
 * on this branch (the coordinator moves it into `people`). Admin only (contacts.erase).
 */
export const peopleEraseRouter = router({
  erase: permissionProcedure('contacts.erase')
    .input(z.strictObject({ id: idSchema, reason: z.string().trim().min(1).max(500).optional() }))
    .mutation(({ ctx, input }) => erasePerson(ctx.db, ctx.actor, input.id, input.reason)),
});
