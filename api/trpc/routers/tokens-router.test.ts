import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { actorFromApiToken } from '../../auth/api-tokens.js';
import { callerFor, createMember, errorShape, testServices } from '../test-support.js';

const { db } = await createTestDatabase();
const services = testServices(db);

describe('API tokens through tRPC', () => {
  it('creates a token whose secret is shown once, lists it without the secret, and revokes it', async () => {
    const admin = await createMember(db, 'admin');
    const { caller } = callerFor(services, admin.actor);
    const created = await caller.tokens.create({
      name: 'CRM sync',
      scopes: ['contacts.read', 'messages.send'],
    });
    expect(created.token).toMatch(/^prl_[A-Za-z0-9_-]{43}$/);
    expect(created.token_prefix).toBe(created.token.slice(0, 10));
    expect(created.scopes).toEqual(['contacts.read', 'messages.send']);

    const listed = await caller.tokens.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toEqual({
      id: created.id,
      name: 'CRM sync',
      token_prefix: created.token_prefix,
      scopes: ['contacts.read', 'messages.send'],
      user_id: admin.userId,
      created_by_email: admin.email,
      created_at: created.created_at,
      expires_at: null,
      revoked_at: null,
      last_used_at: null,
    });
    expect(JSON.stringify(listed)).not.toContain(created.token.slice(4));

    const actor = await actorFromApiToken(db, created.token);
    expect(actor && [...actor.permissions].sort()).toEqual(['contacts.read', 'messages.send']);
    const used = await caller.tokens.list();
    expect(used[0]!.last_used_at).toBeInstanceOf(Date);

    expect(await caller.tokens.revoke({ tokenId: created.id })).toEqual({ ok: true });
    expect(await actorFromApiToken(db, created.token)).toBeUndefined();
    expect((await caller.tokens.list())[0]!.revoked_at).toBeInstanceOf(Date);
    await expect(caller.tokens.revoke({ tokenId: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const actions = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'operator.action')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.payload)).toEqual([
      {
        actor: { kind: 'user', id: admin.userId, email: admin.email },
        action: 'token.create',
        target: { kind: 'api_token', id: created.id },
        details: { name: 'CRM sync', scopes: ['contacts.read', 'messages.send'], expires_at: null },
      },
      {
        actor: { kind: 'user', id: admin.userId, email: admin.email },
        action: 'token.revoke',
        target: { kind: 'api_token', id: created.id },
        details: { name: 'CRM sync' },
      },
    ]);
  });

  it('says in a sentence that a token needs a scope, with the reason on the field', async () => {
    const admin = await createMember(db, 'admin');
    const { caller } = callerFor(services, admin.actor);
    const shape = await errorShape(caller.tokens.create({ name: 'no scope', scopes: [] }));
    expect(shape.message).toBe('Invalid input: scopes: give at least one scope.');
    expect(shape.data.fields).toEqual([{ field: 'scopes', reason: 'give at least one scope' }]);
  });

  it('refuses scopes that are unknown, and an expiry in the past', async () => {
    const admin = await createMember(db, 'admin');
    const { caller } = callerFor(services, admin.actor);
    const shape = await errorShape(
      caller.tokens.create({
        name: 'x',
        scopes: ['contacts.read', 'contact.read'],
        expiresAt: new Date(Date.now() - 1000),
      }),
    );
    expect(shape.data.fields).toEqual([
      { field: 'scopes.1', reason: 'unknown permission contact.read' },
      { field: 'expiresAt', reason: 'must be in the future' },
    ]);
  });

  it('narrows a token to what its creator may still do, and ends it at its expiry', async () => {
    const admin = await createMember(db, 'admin');
    const { caller } = callerFor(services, admin.actor);
    const expiresAt = new Date(Date.now() + 60 * 60 * 1000);
    const created = await caller.tokens.create({
      name: 'short',
      scopes: ['pii.read', 'contacts.read'],
      expiresAt,
    });
    expect(created.expires_at?.toISOString()).toBe(expiresAt.toISOString());
    expect([...(await actorFromApiToken(db, created.token))!.permissions].sort()).toEqual([
      'contacts.read',
      'pii.read',
    ]);
    await db.updateTable('users').set({ role: 'viewer' }).where('id', '=', admin.userId).execute();
    expect([...(await actorFromApiToken(db, created.token))!.permissions]).toEqual(['contacts.read']);
    expect(await actorFromApiToken(db, created.token, new Date(expiresAt.getTime() + 1))).toBeUndefined();
  });

  it('is admin-only, and a token cannot get scopes its creator lacks', async () => {
    const operator = await createMember(db, 'operator');
    await expect(callerFor(services, operator.actor).caller.tokens.list()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const { createApiToken } = await import('../../auth/api-tokens.js');
    await expect(
      createApiToken(db, operator.actor, { name: 'x', scopes: ['members.manage'] }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'scopes.0', reason: 'you do not have members.manage' }],
    });
  });
});
