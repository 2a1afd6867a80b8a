import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { callerFor, createMember, TEST_PASSWORD, testServices } from '../trpc/test-support.js';
import { LoginRateLimitedError, login, loginLimits } from './login.js';

const { db } = await createTestDatabase();

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('login', () => {
  it('signs in with the right password and refuses a wrong one or an unknown email alike', async () => {
    const { email } = await createMember(db, 'operator');
    const ok = await login(db, {
      email: email.toUpperCase(),
      password: TEST_PASSWORD,
      address: '198.51.100.1',
    });
    expect(ok.user.email).toBe(email);
    expect(ok.session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const wrong = await failure(login(db, { email, password: 'wrong password!', address: '198.51.100.1' }));
    const unknown = await failure(
      login(db, { email: 'nobody@example.org', password: 'whatever1234', address: '198.51.100.1' }),
    );
    expect([wrong.code, wrong.message]).toEqual(['unauthorized', 'wrong email or password']);
    expect([unknown.code, unknown.message]).toEqual(['unauthorized', 'wrong email or password']);
  });

  it('refuses the guessing addresses but lets the right password in from a clean address', async () => {
    const { email } = await createMember(db, 'viewer');
    const t0 = new Date('2030-01-01T10:00:00Z');
    // Five addresses guess once each: the account is under attack.
    for (let i = 0; i < loginLimits.perAccount; i++) {
      const at = new Date(t0.getTime() + i * 60_000);
      const e = await failure(
        login(db, { email, password: `guess number ${i}`, address: `192.0.2.${i + 1}` }, at),
      );
      expect([e.code, e.message]).toEqual(['unauthorized', 'wrong email or password']);
    }
    const at = new Date(t0.getTime() + 5 * 60_000);
    // The member, from an address that never failed on the account, signs in.
    const member = await login(db, { email, password: TEST_PASSWORD, address: '198.51.100.9' }, at);
    expect(member.user.email).toBe(email);
    // A guessing address may fail once more, then it is refused before its password is checked.
    const second = await failure(login(db, { email, password: 'guess again', address: '192.0.2.1' }, at));
    expect(second.code).toBe('unauthorized');
    const limited = await failure(login(db, { email, password: TEST_PASSWORD, address: '192.0.2.1' }, at));
    expect(limited).toBeInstanceOf(LoginRateLimitedError);
    expect(limited.code).toBe('rate_limited');
    expect(limited.httpStatus).toBe(429);
    // Until the account's oldest failure leaves the window (t0 + 15 min): 10 minutes from now.
    expect((limited as LoginRateLimitedError).retryAfterSeconds).toBe(10 * 60);
    const later = new Date(t0.getTime() + 15 * 60_000 + 1000);
    const ok = await login(db, { email, password: TEST_PASSWORD, address: '192.0.2.1' }, later);
    expect(ok.user.email).toBe(email);
    // Signing in clears only that address's record on the account.
    const left = await db
      .selectFrom('login_failures')
      .select('key')
      .where('key', 'like', `%${email}%`)
      .execute();
    expect(left.filter((row) => row.key === `account-address:${email} 192.0.2.1`)).toHaveLength(0);
    expect(left.filter((row) => row.key === `account:${email}`)).toHaveLength(6);
  });

  it('limits one address guessing one account (5 failures), however quiet the account is otherwise', async () => {
    const { email } = await createMember(db, 'viewer');
    const t0 = new Date('2030-03-01T10:00:00Z');
    for (let i = 0; i < loginLimits.perAccountAddress; i++) {
      await failure(login(db, { email, password: `guess ${i}`, address: '203.0.113.7' }, t0));
    }
    const limited = await failure(login(db, { email, password: TEST_PASSWORD, address: '203.0.113.7' }, t0));
    expect((limited as LoginRateLimitedError).retryAfterSeconds).toBe(15 * 60);
    const elsewhere = await login(db, { email, password: TEST_PASSWORD, address: '203.0.113.8' }, t0);
    expect(elsewhere.user.email).toBe(email);
  });

  it('answers a deactivated account exactly like a wrong password, and counts it as a failure', async () => {
    const { email, userId } = await createMember(db, 'viewer');
    await db.updateTable('users').set({ active: false }).where('id', '=', userId).execute();
    const t0 = new Date('2030-04-01T10:00:00Z');
    const right = await failure(login(db, { email, password: TEST_PASSWORD, address: '198.51.100.30' }, t0));
    const wrong = await failure(login(db, { email, password: 'not the one', address: '198.51.100.30' }, t0));
    expect([right.code, right.message, right.httpStatus]).toEqual([
      'unauthorized',
      'wrong email or password',
      401,
    ]);
    expect([wrong.code, wrong.message, wrong.httpStatus]).toEqual([
      'unauthorized',
      'wrong email or password',
      401,
    ]);
    const counted = await db
      .selectFrom('login_failures')
      .select('id')
      .where('key', '=', `account:${email}`)
      .execute();
    expect(counted).toHaveLength(2);
  });

  it('limits one address trying many accounts (20 failures per 15 minutes)', async () => {
    const { email } = await createMember(db, 'viewer');
    const t0 = new Date('2030-02-01T10:00:00Z');
    for (let i = 0; i < loginLimits.perAddress; i++) {
      await failure(
        login(db, { email: `spray${i}@example.org`, password: 'password123', address: '203.0.113.50' }, t0),
      );
    }
    const limited = await failure(login(db, { email, password: TEST_PASSWORD, address: '203.0.113.50' }, t0));
    expect((limited as LoginRateLimitedError).retryAfterSeconds).toBe(15 * 60);
    const elsewhere = await login(db, { email, password: TEST_PASSWORD, address: '203.0.113.51' }, t0);
    expect(elsewhere.user.email).toBe(email);
  });

  it('answers 429 through tRPC with a retry-after header and the seconds in the error data', async () => {
    const { email } = await createMember(db, 'viewer');
    const { caller, headers } = callerFor(testServices(db), null, { address: '198.51.100.77' });
    for (let i = 0; i < loginLimits.perAccount; i++) {
      await expect(caller.auth.login({ email, password: `nope nope ${i}` })).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    }
    await expect(caller.auth.login({ email, password: TEST_PASSWORD })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    const seconds = Number(headers.get('retry-after'));
    expect(seconds).toBeGreaterThan(14 * 60);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
  });
});
