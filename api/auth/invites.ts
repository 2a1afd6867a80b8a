import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import type { Role } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import type { Actor } from './actor.js';
import { audit } from './audit.js';
import { hashToken, secretToken } from './secret-token.js';
import { createSession, type NewSession } from './sessions.js';
import { insertUser, type Member, newPasswordHash, normalizeEmail } from './users.js';

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface PendingInvite {
  id: string;
  email: string | null;
  role: Role;
  created_at: Date;
  expires_at: Date;
}

/**
 * The link's token travels in the URL fragment (`/invite#token=...`): browsers never send a
 * fragment to the server, so it cannot end up in access logs or Referer headers.
 */
export function invitePath(token: string): string {
  return `/invite#token=${token}`;
}

export async function createInvite(
  db: DbOrTx,
  actor: Actor,
  input: { email?: string | null; role: Role },
  now = new Date(),
): Promise<PendingInvite & { token: string; path: string }> {
  const { token, hash } = secretToken('pri_');
  return inTransaction(db, async (tx) => {
    const email = input.email ? normalizeEmail(input.email) : null;
    if (email) {
      const taken = await tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
      if (taken)
        throw new AppError('conflict', `${email} is already a member`, [
          { field: 'email', reason: 'already a member' },
        ]);
    }
    const row = await tx
      .insertInto('invites')
      .values({
        kind: 'invite',
        token_hash: hash,
        email,
        role: input.role,
        created_by: actor.userId,
        created_at: now,
        expires_at: new Date(now.getTime() + INVITE_TTL_MS),
      })
      .returning(['id', 'email', 'role', 'created_at', 'expires_at'])
      .executeTakeFirstOrThrow();
    await audit(tx, actor, {
      action: 'member.invite',
      target: { kind: 'invite', id: row.id },
      details: { email, role: input.role, expires_at: row.expires_at.toISOString() },
    });
    return { ...row, token, path: invitePath(token) };
  });
}

export async function listPendingInvites(db: DbOrTx, now = new Date()): Promise<PendingInvite[]> {
  return db
    .selectFrom('invites')
    .select(['id', 'email', 'role', 'created_at', 'expires_at'])
    .where('kind', '=', 'invite')
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('id')
    .execute();
}

export async function revokeInvite(db: DbOrTx, actor: Actor, inviteId: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await tx
      .updateTable('invites')
      .set({ revoked_at: new Date() })
      .where('id', '=', inviteId)
      .where('kind', '=', 'invite')
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returning(['id', 'email', 'role'])
      .executeTakeFirst();
    if (!row)
      throw new AppError('not_found', `no pending invite ${inviteId}`, [
        { field: 'inviteId', reason: 'no such pending invite' },
      ]);
    await audit(tx, actor, {
      action: 'member.invite_revoke',
      target: { kind: 'invite', id: row.id },
      details: { email: row.email, role: row.role },
    });
  });
}

/** What the invite page shows before the person chooses a password. */
export async function inviteInfo(db: DbOrTx, token: string, now = new Date()) {
  const row = await db
    .selectFrom('invites')
    .select(['email', 'role', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .where('kind', '=', 'invite')
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', 'this invite link is unknown, used, revoked or expired');
  return row;
}

/** Uses the invite once: creates the member and signs them in. */
export async function acceptInvite(
  db: DbOrTx,
  token: string,
  input: { email?: string; name: string; password: string },
  now = new Date(),
): Promise<{ user: Member; session: NewSession }> {
  const passwordHash = await newPasswordHash(input.password);
  return inTransaction(db, async (tx) => {
    const invite = await tx
      .updateTable('invites')
      .set({ accepted_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('kind', '=', 'invite')
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['id', 'email', 'role'])
      .executeTakeFirst();
    if (!invite) throw new AppError('not_found', 'this invite link is unknown, used, revoked or expired');
    const email = invite.email ?? input.email;
    if (!email)
      throw new AppError('validation_failed', 'email is required', [{ field: 'email', reason: 'required' }]);
    if (invite.email && input.email && normalizeEmail(input.email) !== invite.email) {
      throw new AppError('validation_failed', `this invite is for ${invite.email}`, [
        { field: 'email', reason: `this invite is for ${invite.email}` },
      ]);
    }
    const user = await insertUser(tx, { email, name: input.name, passwordHash, role: invite.role });
    await tx.updateTable('invites').set({ accepted_user_id: user.id }).where('id', '=', invite.id).execute();
    await audit(
      tx,
      { kind: 'user', id: user.id, email: user.email },
      {
        action: 'member.join',
        target: { kind: 'user', id: user.id },
        details: { invite_id: invite.id, role: user.role },
      },
    );
    return { user, session: await createSession(tx, user.id, now) };
  });
}
