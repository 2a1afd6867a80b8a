import { z } from 'zod';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  renderTemplate,
  sampleValues,
  templateComponentSchema,
  templateEditSchema,
  templateInputSchema,
  updateTemplate,
} from '../../../engine/templates/index.js';
import { actorLabel } from '../../services/contacts.js';
import { requireTemplateAccount } from '../../templates/template-account.js';
import { idSchema } from '../common.schema.js';
import { permissionProcedure, router } from '../trpc.js';

const read = permissionProcedure('reminders.read');
const write = permissionProcedure('reminders.write');
const byId = z.strictObject({ id: idSchema });
const values = z.record(z.string(), z.string());

/**
 * Message templates for the dashboard's templates page: the same engine functions as
 * /v1/templates. preview renders a saved template (by id) or a draft (components) with its
 * sample values or the values given.
 */
export const templatesRouter = router({
  list: read
    .input(z.strictObject({ status: z.string().optional() }).optional())
    .query(({ ctx, input }) => listTemplates(ctx.db, { status: input?.status })),
  get: read.input(byId).query(({ ctx, input }) => getTemplate(ctx.db, input.id)),
  create: write
    .input(templateInputSchema)
    .mutation(({ ctx, input }) =>
      createTemplate(ctx.db, requireTemplateAccount(ctx.services), input, actorLabel(ctx.actor!)),
    ),
  update: write.input(templateEditSchema.extend({ id: idSchema })).mutation(({ ctx, input }) => {
    const { id, ...edit } = input;
    return updateTemplate(ctx.db, requireTemplateAccount(ctx.services), id, edit, actorLabel(ctx.actor!));
  }),
  delete: write
    .input(byId)
    .mutation(({ ctx, input }) =>
      deleteTemplate(ctx.db, requireTemplateAccount(ctx.services), input.id, actorLabel(ctx.actor!)),
    ),
  preview: read
    .input(
      z.strictObject({
        id: idSchema.optional(),
        components: z.array(templateComponentSchema).optional(),
        values: z
          .strictObject({ header: values.optional(), body: values.optional(), buttons: values.optional() })
          .optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const components = input.id
        ? (await getTemplate(ctx.db, input.id)).components
        : (input.components ?? []);
      const samples = sampleValues(components);
      return renderTemplate(components, {
        header: { ...samples.header, ...input.values?.header },
        body: { ...samples.body, ...input.values?.body },
        buttons: { ...samples.buttons, ...input.values?.buttons },
      });
    }),
});
