import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { actorFromApiToken } from '../../auth/api-tokens.js';
import { ensureFirstAdmin } from '../../auth/first-admin.js';
import { actorFromSession } from '../../auth/sessions.js';
import { callerFor, createMember, errorShape, testServices } from '../test-support.js';

const { db } = await createTestDatabase();
const services = testServices(db);

async function operatorActions() {
  const rows = await db
    .selectFrom('events')
    .select('payload')
    .where('type', '=', 'operator.action')
    .orderBy('id')
    .execute();
  return rows.map(
    (r) =>
      r.payload as {
        action: string;
        actor: { kind: string; id: string };
        target: { kind: string; id: string };
      },
  );
}

describe('accounts through tRPC', () => {
  it('first run: setup link, then the admin is signed in, and setup cannot run twice', async () => {
    const anonymous = callerFor(services, null);
    expect(await anonymous.caller.auth.setupStatus()).toEqual({ needsSetup: true });
    expect(await anonymous.caller.auth.me()).toBeNull();
    const setup = await ensureFirstAdmin(db, { admin: undefined, publicUrl: 'https://parley.example.org' });
    if (setup.kind !== 'setup') throw new Error(setup.kind);
    expect(setup.path).toBe(`/setup#token=${setup.token}`);
    expect(setup.url).toBe(`https://parley.example.org/setup#token=${setup.token}`);

    await expect(
      anonymous.caller.auth.completeSetup({
        token: 'prs_wrong',
        email: 'ada@example.org',
        name: 'Ada',
        password: 'long enough 1',
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const me = await anonymous.caller.auth.completeSetup({
      token: setup.token,
      email: 'Ada@Example.org',
      name: 'Ada',
      password: 'long enough 1',
    });
    expect(me).toMatchObject({ email: 'ada@example.org', name: 'Ada', role: 'admin' });
    expect(me.permissions).toContain('members.manage');
    expect(anonymous.jar.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await actorFromSession(db, anonymous.jar.token!))?.email).toBe('ada@example.org');

    expect(await anonymous.caller.auth.setupStatus()).toEqual({ needsSetup: false });
    await expect(
      callerFor(services, null).caller.auth.completeSetup({
        token: setup.token,
        email: 'eve@example.org',
        name: 'Eve',
        password: 'long enough 2',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(
      await ensureFirstAdmin(db, {
        admin: { email: 'x@example.org', password: 'long enough 3' },
        publicUrl: undefined,
      }),
    ).toEqual({
      kind: 'ready',
    });
    expect((await operatorActions()).at(-1)).toMatchObject({ action: 'member.create_first_admin' });
  });

  it('login sets the session cookie; logout deletes the session', async () => {
    const { email } = await createMember(db, 'operator');
    const { caller, jar } = callerFor(services, null);
    const me = await caller.auth.login({ email, password: 'correct horse battery' });
    expect(me.role).toBe('operator');
    const token = jar.token!;
    const actor = (await actorFromSession(db, token))!;
    const signedIn = callerFor(services, actor, { sessionToken: token });
    expect((await signedIn.caller.auth.me())?.email).toBe(email);
    expect(await signedIn.caller.auth.logout()).toEqual({ ok: true });
    expect(signedIn.jar.cleared).toBe(true);
    expect(await actorFromSession(db, token)).toBeUndefined();
    await expect(callerFor(services, null).caller.auth.logout()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('change password needs the current one and ends the other sessions', async () => {
    const member = await createMember(db, 'builder');
    const other = await callerFor(services, null).caller.auth.login({
      email: member.email,
      password: 'correct horse battery',
    });
    expect(other.email).toBe(member.email);
    const { caller } = callerFor(services, member.actor, { sessionToken: member.sessionToken });
    expect(
      (
        await errorShape(
          caller.auth.changePassword({ currentPassword: 'not it at all', newPassword: 'a new password 1' }),
        )
      ).data,
    ).toMatchObject({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      appCode: 'validation_failed',
      fields: [{ field: 'currentPassword', reason: 'is wrong' }],
    });
    expect(
      (
        await errorShape(
          caller.auth.changePassword({ currentPassword: 'correct horse battery', newPassword: 'short' }),
        )
      ).data,
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fields: [{ field: 'newPassword', reason: 'must be at least 10 characters' }],
      zodError: { fieldErrors: { newPassword: ['must be at least 10 characters'] } },
    });
    expect(
      await caller.auth.changePassword({
        currentPassword: 'correct horse battery',
        newPassword: 'a new password 1',
      }),
    ).toEqual({ ok: true });
    const sessions = await db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', member.userId)
      .execute();
    expect(sessions.map((s) => s.id)).toEqual([member.actor.sessionId]);
    const again = await callerFor(services, null).caller.auth.login({
      email: member.email,
      password: 'a new password 1',
    });
    expect(again.email).toBe(member.email);
  });

  it('invites by link: one use, with the invited role; then role change and deactivation', async () => {
    const admin = await createMember(db, 'admin');
    const asAdmin = callerFor(services, admin.actor).caller;
    const invite = await asAdmin.members.invite({ email: 'Zanele@example.org', role: 'analyst' });
    expect(invite.path).toBe(`/invite#token=${invite.token}`);
    expect(invite.token).toMatch(/^pri_/);
    expect((await asAdmin.members.list()).invites.map((i) => i.email)).toContain('zanele@example.org');

    const anonymous = callerFor(services, null);
    expect(await anonymous.caller.auth.inviteInfo({ token: invite.token })).toMatchObject({
      email: 'zanele@example.org',
      role: 'analyst',
    });
    const wrongEmail = await errorShape(
      anonymous.caller.auth.acceptInvite({
        token: invite.token,
        email: 'someone@example.org',
        name: 'Z',
        password: 'zanele password',
      }),
    );
    expect(wrongEmail.data.fields).toEqual([
      { field: 'email', reason: 'this invite is for zanele@example.org' },
    ]);
    const me = await anonymous.caller.auth.acceptInvite({
      token: invite.token,
      name: 'Zanele',
      password: 'zanele password',
    });
    expect(me).toMatchObject({ email: 'zanele@example.org', role: 'analyst' });
    await expect(
      callerFor(services, null).caller.auth.acceptInvite({
        token: invite.token,
        name: 'Again',
        email: 'again@example.org',
        password: 'again password',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const zanele = (await asAdmin.members.list()).members.find((m) => m.email === 'zanele@example.org')!;
    expect((await asAdmin.members.changeRole({ userId: zanele.id, role: 'builder' })).role).toBe('builder');
    const zaneleActor = (await actorFromSession(db, anonymous.jar.token!))!;
    expect(zaneleActor.role).toBe('builder');
    // Members without members.manage cannot manage members.
    await expect(callerFor(services, zaneleActor).caller.members.list()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    const actions = (await operatorActions()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['member.invite', 'member.join', 'member.role_change']));
  });

  it("a deactivated member's session and API tokens stop working at once", async () => {
    const admin = await createMember(db, 'admin');
    const builder = await createMember(db, 'builder');
    const token = await callerFor(services, builder.actor).caller.auth.me();
    expect(token?.role).toBe('builder');
    // Tokens are made by admins (tokens.manage); make one as the member directly to test its fate.
    const { createApiToken } = await import('../../auth/api-tokens.js');
    const apiToken = await createApiToken(db, builder.actor, { name: 'script', scopes: ['contacts.read'] });
    expect((await actorFromApiToken(db, apiToken.token))?.userId).toBe(builder.userId);

    const asAdmin = callerFor(services, admin.actor).caller;
    const after = await asAdmin.members.deactivate({ userId: builder.userId });
    expect(after.active).toBe(false);
    expect(await actorFromSession(db, builder.sessionToken)).toBeUndefined();
    expect(await actorFromApiToken(db, apiToken.token)).toBeUndefined();
    await expect(
      callerFor(services, null).caller.auth.login({
        email: builder.email,
        password: 'correct horse battery',
      }),
    ).rejects.toMatchObject({
      // The same answer as a wrong password: it must not confirm the password was right.
      code: 'UNAUTHORIZED',
      message: 'wrong email or password',
    });
    await expect(asAdmin.members.deactivate({ userId: admin.userId })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const last = (await operatorActions()).at(-1)!;
    expect(last).toMatchObject({ action: 'member.deactivate', target: { kind: 'user', id: builder.userId } });
  });

  it('keeps at least one active admin', async () => {
    const admins = await db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('active', '=', true)
      .execute();
    const admin = await createMember(db, 'admin');
    const asAdmin = callerFor(services, admin.actor).caller;
    for (const { id } of admins) await asAdmin.members.deactivate({ userId: id });
    expect(
      (await errorShape(asAdmin.members.changeRole({ userId: admin.userId, role: 'viewer' }))).data,
    ).toMatchObject({
      code: 'CONFLICT',
      httpStatus: 409,
      appCode: 'conflict',
      fields: [{ field: 'role', reason: 'the last active admin cannot be removed' }],
    });
  });

  it('refuses unknown input fields with a field error', async () => {
    const shape = await errorShape(
      callerFor(services, null).caller.auth.login({
        email: 'a@example.org',
        password: 'x',
        remember: true,
      } as never),
    );
    expect(shape.data).toMatchObject({
      code: 'BAD_REQUEST',
      appCode: 'validation_failed',
      fields: [{ field: 'remember', reason: 'unknown field' }],
    });
  });
});
