import { sql } from 'kysely';
import type { Config } from '../../core/config.js';
import type { Db, DbOrTx, Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { audit } from './audit.js';
import { hashToken, secretToken } from './secret-token.js';
import { createSession, type NewSession } from './sessions.js';
import { countUsers, insertUser, type Member, newPasswordHash } from './users.js';

/** A setup link works for a day; every start without users prints a fresh one. */
export const SETUP_TTL_MS = 24 * 60 * 60 * 1000;
// Instances starting together serialise here, so exactly one creates the first admin.
const FIRST_ADMIN_LOCK = 7_042_025_004;

export type FirstAdminOutcome =
  | { kind: 'ready' }
  | { kind: 'created'; email: string }
  /** Print `url` (or `path` when no public URL is configured): it is the only way in. */
  | { kind: 'setup'; token: string; path: string; url: string | undefined; expiresAt: Date };

/**
 * On start: when no user exists, create the admin from PARLEY_ADMIN_EMAIL/PASSWORD, or make
 * a one-time setup token and return the link to print, so a fresh install is never open to whoever
 * reaches it first.
 */
export async function ensureFirstAdmin(
  db: Db,
  config: Pick<Config, 'admin' | 'publicUrl'>,
  now = new Date(),
): Promise<FirstAdminOutcome> {
  if (!(await needsSetup(db))) return { kind: 'ready' };
  const passwordHash = config.admin
    ? await newPasswordHash(config.admin.password, 'PARLEY_ADMIN_PASSWORD')
    : undefined;
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`.execute(tx);
    if ((await countUsers(tx)) > 0) return { kind: 'ready' } as const;
    if (config.admin && passwordHash) {
      const user = await insertUser(tx, {
        email: config.admin.email,
        name: 'Admin',
        passwordHash,
        role: 'admin',
      });
      await audit(
        tx,
        { kind: 'system', id: 'first-admin' },
        {
          action: 'member.create_first_admin',
          target: { kind: 'user', id: user.id },
          details: { email: user.email, from: 'PARLEY_ADMIN_EMAIL' },
        },
      );
      return { kind: 'created', email: user.email } as const;
    }
    const { token, hash } = secretToken('prs_');
    const expiresAt = new Date(now.getTime() + SETUP_TTL_MS);
    await tx
      .insertInto('invites')
      .values({ kind: 'setup', token_hash: hash, role: 'admin', created_at: now, expires_at: expiresAt })
      .execute();
    const path = `/setup#token=${token}`;
    const url = config.publicUrl ? new URL(path, config.publicUrl).toString() : undefined;
    return { kind: 'setup', token, path, url, expiresAt } as const;
  });
}

export async function needsSetup(db: DbOrTx): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

/** Creates the first admin with a valid setup token, once, and signs them in. */
export async function completeSetup(
  db: Db,
  token: string,
  input: { email: string; name: string; password: string },
  now = new Date(),
): Promise<{ user: Member; session: NewSession }> {
  const passwordHash = await newPasswordHash(input.password);
  return db.transaction().execute(async (tx: Tx) => {
    await sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`.execute(tx);
    if ((await countUsers(tx)) > 0)
      throw new AppError('conflict', 'setup is already complete; sign in instead');
    const used = await tx
      .updateTable('invites')
      .set({ accepted_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('kind', '=', 'setup')
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('id')
      .executeTakeFirst();
    if (!used) {
      throw new AppError(
        'unauthorized',
        'this setup link is unknown, used or expired; restart Parley for a new one',
        [{ field: 'token', reason: 'unknown, used or expired' }],
      );
    }
    const user = await insertUser(tx, { email: input.email, name: input.name, passwordHash, role: 'admin' });
    await tx
      .updateTable('invites')
      .set({ revoked_at: now })
      .where('kind', '=', 'setup')
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    await tx.updateTable('invites').set({ accepted_user_id: user.id }).where('id', '=', used.id).execute();
    await audit(
      tx,
      { kind: 'user', id: user.id, email: user.email },
      {
        action: 'member.create_first_admin',
        target: { kind: 'user', id: user.id },
        details: { email: user.email, from: 'setup_link' },
      },
    );
    return { user, session: await createSession(tx, user.id, now) };
  });
}
