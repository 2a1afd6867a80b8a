import type { DbOrTx, Tx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import type { Role } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import type { Actor } from './actor.js';
import { audit } from './audit.js';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';

export interface Member {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  created_at: Date;
  deactivated_at: Date | null;
}

const memberColumns = ['id', 'email', 'name', 'role', 'active', 'created_at', 'deactivated_at'] as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Checks and hashes a new password. Callers hash before opening their transaction: scrypt
 * takes ~100 ms, and an open writing transaction holds back every log reader's horizon.
 */
export async function newPasswordHash(password: string, field = 'password'): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('validation_failed', `${field} ${problem}`, [{ field, reason: problem }]);
  return hashPassword(password);
}

/** Inserts a user; the caller audits. A taken email is a conflict on the `email` field. */
export async function insertUser(
  tx: DbOrTx,
  input: { email: string; name: string; passwordHash: string; role: Role },
): Promise<Member> {
  const row = await tx
    .insertInto('users')
    .values({
      email: normalizeEmail(input.email),
      name: input.name.trim(),
      password_hash: input.passwordHash,
      role: input.role,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(memberColumns)
    .executeTakeFirst();
  if (!row) {
    throw new AppError('conflict', 'a member with this email already exists', [
      { field: 'email', reason: 'already belongs to a member' },
    ]);
  }
  return row;
}

export async function listMembers(db: DbOrTx): Promise<Member[]> {
  return db.selectFrom('users').select(memberColumns).orderBy('id').execute();
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function changeMemberRole(
  db: DbOrTx,
  actor: Actor,
  userId: string,
  role: Role,
): Promise<Member> {
  return inTransaction(db, async (tx) => {
    const before = await lockMember(tx, userId);
    if (before.role === role) return before;
    if (before.role === 'admin') await assertAnotherAdmin(tx, userId, 'role');
    const after = await tx
      .updateTable('users')
      .set({ role, updated_at: new Date() })
      .where('id', '=', userId)
      .returning(memberColumns)
      .executeTakeFirstOrThrow();
    await audit(tx, actor, {
      action: 'member.role_change',
      target: { kind: 'user', id: userId },
      details: { email: before.email, from: before.role, to: role },
    });
    return after;
  });
}

/** Deactivates a member: their sessions end and their API tokens are revoked, in one transaction. */
export async function deactivateMember(db: DbOrTx, actor: Actor, userId: string): Promise<Member> {
  return inTransaction(db, async (tx) => {
    if (userId === actor.userId) {
      throw new AppError('bad_request', 'you cannot deactivate yourself', [
        { field: 'userId', reason: 'is you' },
      ]);
    }
    const before = await lockMember(tx, userId);
    if (!before.active) return before;
    if (before.role === 'admin') await assertAnotherAdmin(tx, userId, 'userId');
    const now = new Date();
    const after = await tx
      .updateTable('users')
      .set({ active: false, deactivated_at: now, updated_at: now })
      .where('id', '=', userId)
      .returning(memberColumns)
      .executeTakeFirstOrThrow();
    const sessions = await tx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    const tokens = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    await audit(tx, actor, {
      action: 'member.deactivate',
      target: { kind: 'user', id: userId },
      details: {
        email: before.email,
        sessions_ended: Number(sessions.numDeletedRows),
        tokens_revoked: Number(tokens.numUpdatedRows),
      },
    });
    return after;
  });
}

/** Needs the current password; ends every other session of the user. */
export async function changePassword(
  db: DbOrTx,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await db
    .selectFrom('users')
    .select(['password_hash'])
    .where('id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new AppError('validation_failed', 'the current password is wrong', [
      { field: 'currentPassword', reason: 'is wrong' },
    ]);
  }
  const hash = await newPasswordHash(input.newPassword, 'newPassword');
  await inTransaction(db, async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: hash, updated_at: new Date() })
      .where('id', '=', actor.userId)
      .execute();
    let others = tx.deleteFrom('sessions').where('user_id', '=', actor.userId);
    if (actor.sessionId) others = others.where('id', '!=', actor.sessionId);
    await others.execute();
    await audit(tx, actor, { action: 'member.password_change', target: { kind: 'user', id: actor.userId } });
  });
}

async function lockMember(tx: Tx, userId: string): Promise<Member> {
  const row = await tx
    .selectFrom('users')
    .select(memberColumns)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!row)
    throw new AppError('not_found', `no member ${userId}`, [{ field: 'userId', reason: 'no such member' }]);
  return row;
}

/** The organisation must keep one active admin, or nobody could manage it again. */
async function assertAnotherAdmin(tx: Tx, userId: string, field: string): Promise<void> {
  const admins = await tx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .where('id', '!=', userId)
    .forUpdate()
    .execute();
  if (admins.length === 0) {
    throw new AppError('conflict', 'this is the last active admin; make another member admin first', [
      { field, reason: 'the last active admin cannot be removed' },
    ]);
  }
}
