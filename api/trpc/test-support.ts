import { getErrorShape, TRPCError } from '@trpc/server';
import type { Db } from '../../core/db/database.js';
import type { Role } from '../../core/db/schema.js';
import type { Actor } from '../auth/actor.js';
import { hashPassword } from '../auth/password.js';
import { actorFromSession, createSession } from '../auth/sessions.js';
import type { ApiServices } from '../services/api-services.js';
import type { Context } from './context.js';
import { appRouter, createCaller } from './router.js';

/** Test support for tRPC procedures called through createCaller (CONVENTIONS.md), against a real database. */

export const TEST_PASSWORD = 'correct horse battery';
let passwordHash: string | undefined;

/** Inserts an active member with TEST_PASSWORD and returns them signed in (a real session). */
export async function createMember(
  db: Db,
  role: Role,
  email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.org`,
) {
  passwordHash ??= await hashPassword(TEST_PASSWORD);
  const user = await db
    .insertInto('users')
    .values({ email, name: `Test ${role}`, password_hash: passwordHash, role })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await createSession(db, user.id);
  const actor = (await actorFromSession(db, session.token))!;
  return { actor, sessionToken: session.token, userId: user.id, email };
}

export function testServices(db: Db, overrides: Partial<ApiServices> = {}): ApiServices {
  return { db, config: { publicUrl: undefined, allowLocalWebhooks: true }, channels: [], ...overrides };
}

/** A caller as `actor` (or signed out), with a cookie jar and response headers that tests can read. */
export function callerFor(
  services: ApiServices,
  actor: Actor | null,
  options: { address?: string; sessionToken?: string; signal?: AbortSignal } = {},
) {
  const jar = { token: options.sessionToken, expiresAt: undefined as Date | undefined, cleared: false };
  const headers = new Map<string, string>();
  const ctx: Context = {
    services,
    db: services.db,
    actor,
    address: options.address ?? '203.0.113.7',
    cookies: {
      get token() {
        return jar.token;
      },
      set(token, expiresAt) {
        jar.token = token;
        jar.expiresAt = expiresAt;
      },
      clear() {
        jar.token = undefined;
        jar.cleared = true;
      },
    },
    setHeader: (name, value) => headers.set(name, value),
  };
  return { caller: createCaller(ctx, { signal: options.signal }), jar, headers };
}

/** The error a call fails with, as the client receives it (through the router's error formatter). */
export async function errorShape(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return getErrorShape({
    config: appRouter._def._config,
    error,
    type: 'unknown',
    path: undefined,
    input: undefined,
    ctx: undefined,
  });
}
