import { z } from 'zod';
import { createInvite, listPendingInvites, revokeInvite } from '../../auth/invites.js';
import { changeMemberRole, deactivateMember, listMembers } from '../../auth/users.js';
import { emailSchema, idSchema, roleSchema } from '../common.schema.js';
import { permissionProcedure, router } from '../trpc.js';

const manage = permissionProcedure('members.manage');

/** Settings → Members and roles. */
export const membersRouter = router({
  list: manage.query(async ({ ctx }) => ({
    members: await listMembers(ctx.db),
    invites: await listPendingInvites(ctx.db),
  })),

  /** Returns the invite link once (`path`, and `url` when PARLEY_PUBLIC_URL is set). */
  invite: manage
    .input(z.strictObject({ email: emailSchema.optional(), role: roleSchema }))
    .mutation(async ({ ctx, input }) => {
      const invite = await createInvite(ctx.db, ctx.actor, input);
      const base = ctx.services.config.publicUrl;
      return { ...invite, url: base ? new URL(invite.path, base).toString() : null };
    }),

  revokeInvite: manage.input(z.strictObject({ inviteId: idSchema })).mutation(async ({ ctx, input }) => {
    await revokeInvite(ctx.db, ctx.actor, input.inviteId);
    return { ok: true as const };
  }),

  changeRole: manage
    .input(z.strictObject({ userId: idSchema, role: roleSchema }))
    .mutation(({ ctx, input }) => changeMemberRole(ctx.db, ctx.actor, input.userId, input.role)),

  deactivate: manage
    .input(z.strictObject({ userId: idSchema }))
    .mutation(({ ctx, input }) => deactivateMember(ctx.db, ctx.actor, input.userId)),
});
