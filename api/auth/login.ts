import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';
import { createSession, type NewSession } from './sessions.js';
import { normalizeEmail } from './users.js';

/**
 * Failed sign-ins counted over a sliding window, in Postgres so every instance sees the same
 * numbers. The rule (docs/security.md) never lets strangers lock a member out:
 * - an address (the real client address, behind trusted proxies) with `perAddress` failures
 *   is refused for every account: it is spraying guesses;
 * - an address with `perAccountAddress` failures on one account is refused for that account;
 * - an account with `perAccount` failures from anywhere is "under attack": then an address
 *   that already failed on it `perAddressWhileAttacked` times is refused, but an address with
 *   a clean record on it still gets its password checked, so the member signs in from their
 *   own place while each address of a distributed guesser gets at most that many tries.
 * Refusals happen before the password is checked, so a refused attempt learns nothing.
 */
export const loginLimits = {
  windowMs: 15 * 60 * 1000,
  perAccount: 5,
  perAccountAddress: 5,
  perAddressWhileAttacked: 2,
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
  const keys = {
    account: `account:${email}`,
    address: `address:${input.address}`,
    pair: `account-address:${email} ${input.address}`,
  };
  const all = [keys.account, keys.address, keys.pair];
  const outcome = await db.transaction().execute(async (tx) => {
    // Serialise attempts on the same keys across instances so parallel guesses cannot overrun the limit.
    for (const key of [...all].sort())
      await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
    const retryAt = await refusedUntil(tx, keys, now);
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
    // A deactivated account answers exactly like a wrong password (and counts as a failure),
    // so no answer tells a guesser that a password was right.
    if (!user || !valid || !user.active) {
      await tx
        .insertInto('login_failures')
        .values(all.map((key) => ({ key, failed_at: now })))
        .execute();
      await tx
        .deleteFrom('login_failures')
        .where('key', 'in', all)
        .where('failed_at', '<', new Date(now.getTime() - 24 * 60 * 60 * 1000))
        .execute();
      return { kind: 'wrong' as const };
    }
    // Only this address's record on the account is cleared: the account's count stays, so
    // addresses that guessed before stay limited after the member signs in.
    await tx.deleteFrom('login_failures').where('key', '=', keys.pair).execute();
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
    case 'ok':
      return { user: outcome.user, session: outcome.session };
  }
}

/** When this address may try this account again (epoch ms); 0 when it may now. */
async function refusedUntil(
  tx: Tx,
  keys: { account: string; address: string; pair: string },
  now: Date,
): Promise<number> {
  const address = await limitedUntil(tx, keys.address, loginLimits.perAddress, now);
  const pair = await limitedUntil(tx, keys.pair, loginLimits.perAccountAddress, now);
  const attacked = await limitedUntil(tx, keys.account, loginLimits.perAccount, now);
  const pairWhileAttacked =
    attacked > now.getTime()
      ? Math.min(attacked, await limitedUntil(tx, keys.pair, loginLimits.perAddressWhileAttacked, now))
      : 0;
  return Math.max(address, pair, pairWhileAttacked);
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
