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

  it('locks an account after 5 failures in 15 minutes, from any address, with the time to wait', async () => {
    const { email } = await createMember(db, 'viewer');
    const t0 = new Date('2030-01-01T10:00:00Z');
    for (let i = 0; i < loginLimits.perAccount; i++) {
      const at = new Date(t0.getTime() + i * 60_000);
      const e = await failure(
        login(db, { email, password: `guess number ${i}`, address: `192.0.2.${i + 1}` }, at),
      );
      expect(e.code).toBe('unauthorized');
    }
    // The sixth attempt, even with the right password, is refused until the first failure is 15 minutes old.
    const at = new Date(t0.getTime() + 5 * 60_000);
    const limited = await failure(login(db, { email, password: TEST_PASSWORD, address: '192.0.2.99' }, at));
    expect(limited).toBeInstanceOf(LoginRateLimitedError);
    expect(limited.code).toBe('rate_limited');
    expect(limited.httpStatus).toBe(429);
    expect((limited as LoginRateLimitedError).retryAfterSeconds).toBe(10 * 60);
    // Once the oldest failure leaves the window, the right password works and resets the count.
    const later = new Date(t0.getTime() + 15 * 60_000 + 1000);
    const ok = await login(db, { email, password: TEST_PASSWORD, address: '192.0.2.99' }, later);
    expect(ok.user.email).toBe(email);
    const count = await db
      .selectFrom('login_failures')
      .select('id')
      .where('key', '=', `account:${email}`)
      .execute();
    expect(count).toHaveLength(0);
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
