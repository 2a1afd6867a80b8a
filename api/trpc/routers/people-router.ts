import { z } from 'zod';
import { inTransaction } from '../../../core/db/in-transaction.js';
import {
  getPersonDetail,
  listPeople,
  peopleLabels,
  personTimeline,
  setLabels,
  updatePerson,
} from '../../../engine/people/index.js';
import { can } from '../../auth/actor.js';
import { audit } from '../../auth/audit.js';
import { maskName } from '../../auth/mask.js';
import { actorLabel } from '../../services/contacts.js';
import { erasePerson } from '../../services/erase-person.js';
import { idSchema } from '../common.schema.js';
import {
  peopleListInputSchema,
  personUpdateInputSchema,
  setLabelsInputSchema,
  timelineInputSchema,
} from '../people.schema.js';
import { presentPerson, presentPersonSummary } from '../present-person.js';
import { permissionProcedure, router } from '../trpc.js';

/**
 * People: list and search, a person's page, profile edits and bulk labels,
 * each change appended as contact.updated by `user:<id>`. Phone and name are masked unless
 * the caller's role has pii.read.
 */
export const peopleRouter = router({
  list: permissionProcedure('contacts.read')
    .input(peopleListInputSchema)
    .query(async ({ ctx, input }) => {
      const page = await listPeople(ctx.db, input);
      const reveal = can(ctx.actor, 'pii.read');
      return { ...page, items: page.items.map((p) => presentPersonSummary(p, reveal)) };
    }),

  get: permissionProcedure('contacts.read')
    .input(z.strictObject({ id: idSchema }))
    .query(async ({ ctx, input }) =>
      presentPerson(await getPersonDetail(ctx.db, input.id), can(ctx.actor, 'pii.read')),
    ),

  update: permissionProcedure('contacts.write')
    .input(personUpdateInputSchema)
    .mutation(async ({ ctx, input }) => {
      const { id, ...patch } = input;
      await updatePerson(ctx.db, { id, by: actorLabel(ctx.actor), patch });
      return presentPerson(await getPersonDetail(ctx.db, id), can(ctx.actor, 'pii.read'));
    }),

  setLabels: permissionProcedure('contacts.write')
    .input(setLabelsInputSchema)
    .mutation(({ ctx, input }) => setLabels(ctx.db, { ...input, by: actorLabel(ctx.actor) })),

  labels: permissionProcedure('contacts.read').query(({ ctx }) => peopleLabels(ctx.db)),

  timeline: permissionProcedure('contacts.read')
    .input(timelineInputSchema)
    .query(({ ctx, input }) =>
      personTimeline(ctx.db, { ...input, redactName: can(ctx.actor, 'pii.read') ? undefined : maskName }),
    ),

  /** Data-protection erasure; cannot be undone, so Admin only (contacts.erase). */
  erase: permissionProcedure('contacts.erase')
    .input(z.strictObject({ id: idSchema, reason: z.string().trim().min(1).max(500).optional() }))
    .mutation(({ ctx, input }) => erasePerson(ctx.db, ctx.actor, input.id, input.reason)),

  revealPii: permissionProcedure('pii.read')
    .input(z.strictObject({ id: idSchema, reason: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.db, async (tx) => {
        const person = await getPersonDetail(tx, input.id);
        await audit(tx, ctx.actor, {
          action: 'pii.reveal',
          target: { kind: 'contact', id: input.id },
          contactId: input.id,
          channel: person.channel,
          details: {
            fields: ['wa_id', 'phone', 'bsuid', 'parent_bsuid', 'username', 'name'],
            ...(input.reason ? { reason: input.reason } : {}),
          },
        });
        return presentPerson(person, true);
      }),
    ),
});
