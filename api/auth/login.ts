import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';
import { createSession, type NewSession } from './sessions.js';
import { normalizeEmail } from './users.js';

/**
 * Failed sign-ins allowed per window: per account (guessing one person's password) and per
 * address (trying many accounts). The address limit is higher because an office shares one.
 * Counted in Postgres, so every instance sees the same numbers.
 */
export const loginLimits = {
  windowMs: 15 * 60 * 1000,
  perAccount: 5,
  perAddress: 20,
};

export class LoginRateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `too many failed sign-ins; try again in ${retryAfterSeconds} s`);
  }
}

export interface LoginResult {
  user: { id: string; email: string; name: string; role: string };
  session: NewSession;
}

/** Checks the limits, then the password; a failure is recorded before the error is thrown. */
export async function login(
  db: Db,
  input: { email: string; password: string; address: string },
  now = new Date(),
): Promise<LoginResult> {
  const email = normalizeEmail(input.email);
  const keys = [`account:${email}`, `address:${input.address}`];
  const outcome = await db.transaction().execute(async (tx) => {
    // Serialise attempts on the same keys across instances so parallel guesses cannot overrun the limit.
    for (const key of [...keys].sort())
      await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
    const retryAt = Math.max(
      await limitedUntil(tx, keys[0]!, loginLimits.perAccount, now),
      await limitedUntil(tx, keys[1]!, loginLimits.perAddress, now),
    );
    if (retryAt > now.getTime())
      return { kind: 'limited' as const, retryAfterSeconds: Math.ceil((retryAt - now.getTime()) / 1000) };

    const user = await tx
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role', 'active', 'password_hash'])
      .where('email', '=', email)
      .executeTakeFirst();
    const valid = user
      ? await verifyPassword(input.password, user.password_hash)
      : await verifyAgainstDummy(input.password);
    if (!user || !valid) {
      await tx
        .insertInto('login_failures')
        .values(keys.map((key) => ({ key, failed_at: now })))
        .execute();
      await tx
        .deleteFrom('login_failures')
        .where('key', 'in', keys)
        .where('failed_at', '<', new Date(now.getTime() - 24 * 60 * 60 * 1000))
        .execute();
      return { kind: 'wrong' as const };
    }
    if (!user.active) return { kind: 'inactive' as const };
    await tx.deleteFrom('login_failures').where('key', '=', keys[0]!).execute();
    const session = await createSession(tx, user.id, now);
    return {
      kind: 'ok' as const,
      user: { id: user.id, email: user.email, name: user.name, role: user.role },
      session,
    };
  });
  switch (outcome.kind) {
    case 'limited':
      throw new LoginRateLimitedError(outcome.retryAfterSeconds);
    case 'wrong':
      throw new AppError('unauthorized', 'wrong email or password');
    case 'inactive':
      throw new AppError('forbidden', 'this account has been deactivated');
    case 'ok':
      return { user: outcome.user, session: outcome.session };
  }
}

/** When the key may try again (epoch ms): the limit-th most recent failure leaving the window. */
async function limitedUntil(tx: Tx, key: string, limit: number, now: Date): Promise<number> {
  const recent = await tx
    .selectFrom('login_failures')
    .select('failed_at')
    .where('key', '=', key)
    .where('failed_at', '>', new Date(now.getTime() - loginLimits.windowMs))
    .orderBy('failed_at', 'desc')
    .limit(limit)
    .execute();
  if (recent.length < limit) return 0;
  return recent[limit - 1]!.failed_at.getTime() + loginLimits.windowMs;
}
