import { z } from 'zod';
import {
  getImport,
  importErrors,
  listImports,
  previewImport,
  startImport,
} from '../../../engine/people/index.js';
import { can } from '../../auth/actor.js';
import { maskQuotedValues } from '../../auth/mask.js';
import { idSchema } from '../common.schema.js';
import { importErrorsInputSchema, importSettingsInputSchema } from '../people.schema.js';
import { permissionProcedure, router } from '../trpc.js';

/**
 * The import wizard. The file itself is uploaded to REST
 * POST /v1/contacts/imports (raw text/csv, the session cookie works there); these procedures
 * preview, start and follow the background job.
 */
export const importsRouter = router({
  preview: permissionProcedure('contacts.write')
    .input(importSettingsInputSchema)
    .query(({ ctx, input }) => {
      const { id, ...settings } = input;
      return previewImport(ctx.db, id, settings);
    }),

  start: permissionProcedure('contacts.write')
    .input(importSettingsInputSchema)
    .mutation(({ ctx, input }) => {
      const { id, ...settings } = input;
      return startImport(ctx.db, id, settings);
    }),

  get: permissionProcedure('contacts.read')
    .input(z.strictObject({ id: idSchema }))
    .query(({ ctx, input }) => getImport(ctx.db, input.id)),

  list: permissionProcedure('contacts.read').query(({ ctx }) => listImports(ctx.db)),

  errors: permissionProcedure('contacts.read')
    .input(importErrorsInputSchema)
    .query(({ ctx, input }) =>
      importErrors(ctx.db, { ...input, redact: can(ctx.actor, 'pii.read') ? undefined : maskQuotedValues }),
    ),
});
