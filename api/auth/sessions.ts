import type { DbOrTx } from '../../core/db/database.js';
import type { Actor } from './actor.js';
import { rolePermissions } from './permissions.js';
import { hashToken, secretToken } from './secret-token.js';

/** Sessions last two weeks from sign-in; signing out or deactivation ends them sooner. */
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** last_seen_at is refreshed at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export interface NewSession {
  /** The cookie value; only its SHA-256 hash is stored. */
  token: string;
  sessionId: string;
  expiresAt: Date;
}

export async function createSession(db: DbOrTx, userId: string, now = new Date()): Promise<NewSession> {
  const { token, hash } = secretToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const row = await db
    .insertInto('sessions')
    .values({ token_hash: hash, user_id: userId, created_at: now, expires_at: expiresAt, last_seen_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Expired sessions are useless; clearing the user's old ones here keeps the table small.
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', now).execute();
  return { token, sessionId: row.id, expiresAt };
}

/** The signed-in user for a cookie value, or undefined when unknown, expired or deactivated. */
export async function actorFromSession(
  db: DbOrTx,
  token: string,
  now = new Date(),
): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.last_seen_at',
      'users.id',
      'users.email',
      'users.name',
      'users.role',
    ])
    .where('sessions.token_hash', '=', hashToken(token))
    .where('sessions.expires_at', '>', now)
    .where('users.active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.session_id).execute();
  }
  return {
    kind: 'user',
    userId: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    permissions: new Set(rolePermissions[row.role]),
    sessionId: row.session_id,
  };
}

export async function endSession(db: DbOrTx, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}
