import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { loginLimits } from '../auth/login.js';
import { registerApi } from '../register-api.js';
import { buildServer } from '../server.js';
import { createMember, TEST_PASSWORD } from './test-support.js';

const database = await createTestDatabase();
const { db } = database;
let app: FastifyInstance;
let httpsApp: FastifyInstance;

async function server(publicUrl: string | undefined) {
  return buildServer({
    config: { logLevel: 'silent' },
    database,
    routes: [
      (scope) =>
        registerApi(scope, { database, config: { publicUrl, allowLocalWebhooks: false }, channels: [] }),
    ],
  });
}
beforeAll(async () => {
  app = await server(undefined);
  httpsApp = await server('https://parley.example.org');
});
afterAll(async () => {
  await app.close();
  await httpsApp.close();
});

function cookieOf(setCookie: string | string[] | undefined): string {
  return String([setCookie].flat()[0]).split(';')[0]!;
}

describe('tRPC over HTTP at /trpc', () => {
  it('signs in with a session cookie (httpOnly, SameSite=Lax), answers me, and signs out', async () => {
    const { email } = await createMember(db, 'operator');
    const login = await app.inject({
      method: 'POST',
      url: '/trpc/auth.login',
      payload: { email, password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().result.data).toMatchObject({ email, role: 'operator' });
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^parley_session=[A-Za-z0-9_-]{43}; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/,
    );
    const cookie = cookieOf(login.headers['set-cookie']);

    const me = await app.inject({ method: 'GET', url: '/trpc/auth.me', headers: { cookie } });
    expect(me.json().result.data.email).toBe(email);
    const forbidden = await app.inject({ method: 'GET', url: '/trpc/members.list', headers: { cookie } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });

    // As @trpc/client sends a mutation without input: POST, content-type application/json, no body.
    const logout = await app.inject({
      method: 'POST',
      url: '/trpc/auth.logout',
      headers: { cookie, 'content-type': 'application/json' },
    });
    expect(logout.statusCode).toBe(200);
    expect(String(logout.headers['set-cookie'])).toMatch(
      /^parley_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
    );
    const after = await app.inject({ method: 'GET', url: '/trpc/auth.me', headers: { cookie } });
    expect(after.json().result.data).toBeNull();
    const unauthorized = await app.inject({ method: 'GET', url: '/trpc/members.list', headers: { cookie } });
    expect(unauthorized.statusCode).toBe(401);
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const { email } = await createMember(db, 'viewer');
    const login = await httpsApp.inject({
      method: 'POST',
      url: '/trpc/auth.login',
      payload: { email, password: TEST_PASSWORD },
    });
    expect(String(login.headers['set-cookie'])).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('answers errors with the app code, field errors and zod flattened errors', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/trpc/auth.login',
      payload: { email: '', password: 'x', extra: 1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.data).toMatchObject({
      code: 'BAD_REQUEST',
      appCode: 'validation_failed',
      fields: [
        { field: 'email', reason: 'Too small: expected string to have >=1 characters' },
        { field: 'extra', reason: 'unknown field' },
      ],
      zodError: { fieldErrors: { email: ['Too small: expected string to have >=1 characters'] } },
    });
  });

  it('answers 429 with Retry-After once an account is locked', async () => {
    const { email } = await createMember(db, 'viewer');
    for (let i = 0; i < loginLimits.perAccount; i++) {
      const wrong = await app.inject({
        method: 'POST',
        url: '/trpc/auth.login',
        payload: { email, password: `wrong ${i} xxxxx` },
      });
      expect(wrong.statusCode).toBe(401);
    }
    const locked = await app.inject({
      method: 'POST',
      url: '/trpc/auth.login',
      payload: { email, password: TEST_PASSWORD },
    });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(locked.json().error.data).toMatchObject({
      appCode: 'rate_limited',
      retryAfterSeconds: Number(locked.headers['retry-after']),
    });
  });

  it('streams live events over server-sent events, and ends the stream when the server closes', async () => {
    const { sessionToken } = await createMember(db, 'operator');
    const sseApp = await server(undefined);
    const address = await sseApp.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    const response = await fetch(
      `${address}/trpc/events.onNew?input=${encodeURIComponent(JSON.stringify({}))}`,
      {
        headers: { cookie: `parley_session=${sessionToken}`, accept: 'text/event-stream' },
        signal: abort.signal,
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Append once the stream is open, then read until the event arrives.
    let appended = false;
    const deadline = Date.now() + 10_000;
    while (!text.includes('wamid.live') && Date.now() < deadline) {
      if (!appended && text.includes('connected')) {
        appended = true;
        await append(db, [
          {
            type: 'message.received',
            source: 'simulator',
            channel: 'simulator',
            contact_id: '3',
            payload: {
              message_id: '9',
              external_id: 'wamid.live',
              wa_id: '27821234512',
              message_type: 'text',
              timestamp: new Date().toISOString(),
              text: 'live',
              raw: {},
            },
          },
        ]);
      }
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    // Closing the server ends open subscriptions instead of waiting for clients to leave.
    const closed = sseApp.close().then(() => 'closed');
    expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open'), 5000))])).toBe(
      'closed',
    );
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    abort.abort();
    const event = text.split('\n\n').find((chunk) => chunk.includes('wamid.live'))!;
    expect(event).toMatch(/^id: \d+:\d+$/m);
    const data = JSON.parse(/^data: (.*)$/m.exec(event)![1]!);
    expect(data).toMatchObject({
      type: 'message.received',
      contact_id: '3',
      payload: { wa_id: '+27 *******12', text: 'live' },
    });
  });
});
