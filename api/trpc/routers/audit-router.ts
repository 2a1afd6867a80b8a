import { z } from 'zod';
import { listAuditEntries } from '../../auth/audit-log.js';
import { idSchema } from '../common.schema.js';
import { permissionProcedure, router } from '../trpc.js';

/** The audit trail: operator events, newest first. */
export const auditRouter = router({
  list: permissionProcedure('audit.read')
    .input(
      z.strictObject({ limit: z.number().int().min(1).max(200).optional(), beforeId: idSchema.optional() }),
    )
    .query(({ ctx, input }) => listAuditEntries(ctx.db, input)),
});
