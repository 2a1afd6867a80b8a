import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import { completeSetup, needsSetup } from '../../auth/first-admin.js';
import { acceptInvite, inviteInfo } from '../../auth/invites.js';
import { LoginRateLimitedError, login } from '../../auth/login.js';
import { actorFromSession, endSession } from '../../auth/sessions.js';
import { changePassword } from '../../auth/users.js';
import { emailSchema, nameSchema, newPasswordSchema } from '../common.schema.js';
import type { Context } from '../context.js';
import { authedProcedure, publicProcedure, router } from '../trpc.js';

/** Sign-in, sign-out, the signed-in member, first-run setup and accepting an invite. */
export const authRouter = router({
  me: publicProcedure.query(({ ctx }) => (ctx.actor ? me(ctx.actor) : null)),

  setupStatus: publicProcedure.query(async ({ ctx }) => ({ needsSetup: await needsSetup(ctx.db) })),

  completeSetup: publicProcedure
    .input(
      z.strictObject({
        token: z.string().min(1).max(200),
        email: emailSchema,
        name: nameSchema,
        password: newPasswordSchema,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { token, ...account } = input;
      const { session } = await completeSetup(ctx.db, token, account);
      return signIn(ctx, session.token, session.expiresAt);
    }),

  login: publicProcedure
    .input(z.strictObject({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      try {
        const { session } = await login(ctx.db, { ...input, address: ctx.address });
        return await signIn(ctx, session.token, session.expiresAt);
      } catch (error) {
        if (error instanceof LoginRateLimitedError)
          ctx.setHeader('retry-after', String(error.retryAfterSeconds));
        throw error;
      }
    }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    if (ctx.cookies.token) await endSession(ctx.db, ctx.cookies.token);
    ctx.cookies.clear();
    return { ok: true as const };
  }),

  changePassword: authedProcedure
    .input(z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: newPasswordSchema }))
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx.db, ctx.actor, input);
      return { ok: true as const };
    }),

  inviteInfo: publicProcedure
    .input(z.strictObject({ token: z.string().min(1).max(200) }))
    .query(({ ctx, input }) => inviteInfo(ctx.db, input.token)),

  acceptInvite: publicProcedure
    .input(
      z.strictObject({
        token: z.string().min(1).max(200),
        email: emailSchema.optional(),
        name: nameSchema,
        password: newPasswordSchema,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { token, ...account } = input;
      const { session } = await acceptInvite(ctx.db, token, account);
      return signIn(ctx, session.token, session.expiresAt);
    }),
});

function me(actor: Actor) {
  return {
    id: actor.userId,
    email: actor.email,
    name: actor.name,
    role: actor.role,
    permissions: [...actor.permissions].sort(),
  };
}

async function signIn(ctx: Context, token: string, expiresAt: Date) {
  ctx.cookies.set(token, expiresAt);
  const actor = await actorFromSession(ctx.db, token);
  return me(actor!);
}
