import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { createMember } from '../trpc/test-support.js';
import { createApiToken } from './api-tokens.js';
import { completeSetup, ensureFirstAdmin } from './first-admin.js';
import { createInvite } from './invites.js';
import { hashPassword, verifyPassword } from './password.js';
import { hashToken } from './secret-token.js';

const { db } = await createTestDatabase();

/** Every column of every row of a table, as text. */
async function cells(table: string): Promise<string[]> {
  const result = await sql<{
    row: string;
  }>`select row_to_json(t)::text as row from ${sql.table(table)} t`.execute(db);
  return result.rows.flatMap((r) =>
    Object.values(JSON.parse(r.row) as Record<string, unknown>).map((v) => JSON.stringify(v)),
  );
}

describe('secrets are stored only as hashes', () => {
  it('no column of users, sessions, invites or api_tokens holds a password or token in plain text', async () => {
    const password = 'first admin password 1';
    const setup = await ensureFirstAdmin(db, { admin: undefined, publicUrl: undefined });
    if (setup.kind !== 'setup') throw new Error(`expected a setup link, got ${setup.kind}`);
    const { user, session } = await completeSetup(db, setup.token, {
      email: 'ada@example.org',
      name: 'Ada',
      password,
    });
    const { actor } = await createMember(db, 'admin');
    const invite = await createInvite(db, actor, { email: 'new@example.org', role: 'operator' });
    const token = await createApiToken(db, actor, { name: 'CRM', scopes: ['contacts.read'] });

    const secrets = [password, setup.token, session.token, invite.token, token.token];
    for (const secret of secrets) expect(secret.length).toBeGreaterThanOrEqual(20);
    const stored = [
      ...(await cells('users')),
      ...(await cells('sessions')),
      ...(await cells('invites')),
      ...(await cells('api_tokens')),
    ].join('\n');
    for (const secret of secrets) expect(stored).not.toContain(secret);
    // ...and the 43 random characters of each token are not there without their prefix either.
    for (const secret of secrets.slice(1)) expect(stored).not.toContain(secret.slice(-43));

    // What is stored is the SHA-256 of each token, and a salted scrypt hash of the password.
    expect(stored).toContain(hashToken(session.token));
    expect(stored).toContain(hashToken(invite.token));
    expect(stored).toContain(hashToken(token.token));
    expect(stored).toContain(hashToken(setup.token));
    const hash = await db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(hash.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(token.token).toMatch(/^prl_[A-Za-z0-9_-]{43}$/);
  });

  it('salts every password: the same password gets two different hashes, both verify', async () => {
    const [a, b] = [await hashPassword('same password 1'), await hashPassword('same password 1')];
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect([await verifyPassword('same password 1', a), await verifyPassword('same password 1', b)]).toEqual([
      true,
      true,
    ]);
    expect(await verifyPassword('same password 2', a)).toBe(false);
  });
});
