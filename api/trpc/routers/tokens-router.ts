import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../../auth/api-tokens.js';
import { permissions } from '../../auth/permissions.js';
import { idSchema, nameSchema } from '../common.schema.js';
import { permissionProcedure, router } from '../trpc.js';

const manage = permissionProcedure('tokens.manage');

/** Settings → API tokens. The secret is in `create`'s answer only. */
export const tokensRouter = router({
  list: manage.query(({ ctx }) => listApiTokens(ctx.db)),

  /** Scopes the signed-in member may give a token: their own permissions. */
  availableScopes: manage.query(({ ctx }) => permissions.filter((p) => ctx.actor.permissions.has(p))),

  create: manage
    .input(
      z.strictObject({
        name: nameSchema,
        scopes: z.array(z.string().min(1)).min(1, 'give at least one scope').max(permissions.length),
        expiresAt: z.coerce.date().nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.actor, input)),

  revoke: manage.input(z.strictObject({ tokenId: idSchema })).mutation(async ({ ctx, input }) => {
    await revokeApiToken(ctx.db, ctx.actor, input.tokenId);
    return { ok: true as const };
  }),
});
