import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { ensureFirstAdmin } from './first-admin.js';
import { login } from './login.js';

const { db } = await createTestDatabase();

describe('ensureFirstAdmin', () => {
  it('creates the admin from PARLEY_ADMIN_EMAIL/PASSWORD once, even when instances start together', async () => {
    const config = loadConfig({
      PARLEY_ADMIN_EMAIL: 'Admin@Example.org',
      PARLEY_ADMIN_PASSWORD: 'a long admin password',
    });
    expect(config.admin).toEqual({ email: 'admin@example.org', password: 'a long admin password' });
    const outcomes = await Promise.all([
      ensureFirstAdmin(db, config),
      ensureFirstAdmin(db, config),
      ensureFirstAdmin(db, config),
    ]);
    expect(outcomes.filter((o) => o.kind === 'created')).toEqual([
      { kind: 'created', email: 'admin@example.org' },
    ]);
    expect(outcomes.filter((o) => o.kind === 'ready')).toHaveLength(2);
    const users = await db.selectFrom('users').select(['email', 'role', 'active']).execute();
    expect(users).toEqual([{ email: 'admin@example.org', role: 'admin', active: true }]);
    const signedIn = await login(db, {
      email: 'admin@example.org',
      password: 'a long admin password',
      address: '192.0.2.1',
    });
    expect(signedIn.user.role).toBe('admin');
    const audit = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'operator.action')
      .execute();
    expect(audit.map((a) => a.payload)).toEqual([
      {
        actor: { kind: 'system', id: 'first-admin' },
        action: 'member.create_first_admin',
        target: { kind: 'user', id: expect.any(String) },
        details: { email: 'admin@example.org', from: 'PARLEY_ADMIN_EMAIL' },
      },
    ]);
    expect(await ensureFirstAdmin(db, { admin: undefined, publicUrl: undefined })).toEqual({ kind: 'ready' });
  });
});

describe('configuration', () => {
  it('needs both admin variables or neither, and parses PARLEY_ALLOW_LOCAL_WEBHOOKS', () => {
    expect(() => loadConfig({ PARLEY_ADMIN_EMAIL: 'a@example.org' })).toThrow(ConfigError);
    const error = (() => {
      try {
        loadConfig({ PARLEY_ALLOW_LOCAL_WEBHOOKS: 'yes' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { variable: 'PARLEY_ALLOW_LOCAL_WEBHOOKS', reason: 'must be true or false' },
    ]);
    expect(() => loadConfig({ PARLEY_ADMIN_EMAIL: 'a@example.org', PARLEY_ADMIN_PASSWORD: 'short' })).toThrow(
      /PARLEY_ADMIN_PASSWORD: must be at least 10 characters/,
    );
    expect(() => loadConfig({ PARLEY_ADMIN_PASSWORD: 'long enough password' })).toThrow(
      /PARLEY_ADMIN_EMAIL: required when PARLEY_ADMIN_PASSWORD is set/,
    );
    expect(loadConfig({}).allowLocalWebhooks).toBe(false);
    expect(loadConfig({}).admin).toBeUndefined();
    expect(loadConfig({ PARLEY_ALLOW_LOCAL_WEBHOOKS: 'true' }).allowLocalWebhooks).toBe(true);
  });
});
