import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../core/config.js';
import { createTestDatabase } from '../test/setup/test-database.js';
import { loginLimits } from './auth/login.js';
import { registerApi } from './register-api.js';
import { buildServer } from './server.js';
import { createMember, TEST_PASSWORD } from './trpc/test-support.js';

const database = await createTestDatabase();
const { db } = database;
const apps: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

async function server(config: Partial<Pick<Config, 'trustProxy' | 'publicUrl'>> = {}) {
  const app = await buildServer({
    config: { logLevel: 'silent', ...config },
    database,
    routes: [
      (scope) =>
        registerApi(scope, {
          database,
          config: { publicUrl: config.publicUrl, allowLocalWebhooks: false },
          channels: [],
        }),
      (scope) => {
        // A page with inline blocks, like the simulator's, and a route that fails unexpectedly.
        scope.get('/inline-page', { config: { permission: 'public' } }, async (_request, reply) =>
          reply.type('text/html').send('<style>b{color:red}</style><script>alert(1)</script>'),
        );
        scope.get('/boom', { config: { permission: 'public' } }, async () => {
          throw new Error('secret detail at /srv/parley/db.ts:12');
        });
      },
    ],
  });
  apps.push(app);
  return app;
}

function loginRequest(email: string, password: string, headers: Record<string, string> = {}) {
  return {
    method: 'POST' as const,
    url: '/trpc/auth.login',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ email, password }),
  };
}

/** An address's failed sign-ins, as login() records them (cheaper than hashing 20 guesses). */
async function failuresFrom(address: string, count: number) {
  const now = new Date();
  await db
    .insertInto('login_failures')
    .values(Array.from({ length: count }, () => ({ key: `address:${address}`, failed_at: now })))
    .execute();
}

describe('sign-in limits behind a reverse proxy', () => {
  it('counts each client behind a trusted proxy apart, so one guesser does not lock out the office', async () => {
    const app = await server({ trustProxy: ['127.0.0.1'] });
    const { email } = await createMember(db, 'viewer');
    const wrong = await app.inject(
      loginRequest(email, 'wrong password', { 'x-forwarded-for': '203.0.113.66' }),
    );
    expect(wrong.statusCode).toBe(401);
    // The failure was counted for the client's address, not the proxy's.
    const counted = await db
      .selectFrom('login_failures')
      .select('key')
      .where('key', 'like', 'address:%')
      .execute();
    expect(counted.map((row) => row.key)).toEqual(['address:203.0.113.66']);
    await failuresFrom('203.0.113.66', loginLimits.perAddress);
    const guesser = await app.inject(
      loginRequest(email, TEST_PASSWORD, { 'x-forwarded-for': '203.0.113.66' }),
    );
    expect(guesser.statusCode).toBe(429);
    const colleague = await app.inject(
      loginRequest(email, TEST_PASSWORD, { 'x-forwarded-for': '203.0.113.67' }),
    );
    expect(colleague.statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For from an address that is not a trusted proxy', async () => {
    const app = await server({ trustProxy: ['10.0.0.0/8'] });
    const { email } = await createMember(db, 'viewer');
    await failuresFrom('192.0.2.200', loginLimits.perAddress);
    const res = await app.inject({
      ...loginRequest(email, TEST_PASSWORD, { 'x-forwarded-for': '198.18.0.250' }),
      remoteAddress: '192.0.2.200',
    });
    expect(res.statusCode).toBe(429);
  });
});

describe('security headers', () => {
  it('sends a strict policy, no framing, nosniff and a referrer policy on every answer', async () => {
    const app = await server();
    for (const url of ['/health', '/openapi.json', '/docs/api', '/no-such-route']) {
      const res = await app.inject({ method: 'GET', url });
      const policy = res.headers['content-security-policy'] as string;
      expect(policy.split('; ')).toEqual(
        expect.arrayContaining(["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]),
      );
      expect(policy).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    }
  });

  it('allows the inline blocks of a server-rendered page by their hash only', async () => {
    const app = await server();
    const res = await app.inject({ method: 'GET', url: '/inline-page' });
    const policy = res.headers['content-security-policy'] as string;
    // sha256 of "alert(1)" and of "b{color:red}".
    expect(policy).toContain("script-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
    expect(policy).toContain("style-src 'self' 'sha256-ypIZpeWh67Lh3q46jpjGW7VCAJpmEqcFe8Dl5B2rXQU='");
  });
});

describe('errors sent to clients', () => {
  it('never carry a stack trace or the text of an unexpected error, with NODE_ENV unset', async () => {
    const before = process.env.NODE_ENV;
    delete process.env.NODE_ENV;
    try {
      const app = await server();
      const rest = await app.inject({ method: 'GET', url: '/boom' });
      expect(rest.statusCode).toBe(500);
      expect(rest.json()).toEqual({ error: { code: 'internal', message: 'internal error', fields: [] } });
      // A bad tRPC call: the error body names the problem without a stack.
      const trpc = await app.inject(loginRequest('a@example.org', ''));
      expect(trpc.statusCode).toBe(400);
      expect(trpc.body).not.toContain('stack');
      expect(trpc.body).not.toMatch(/\.ts:\d+/);
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});

describe('cross-site requests with the session cookie', () => {
  it('refuses a cross-site form post to tRPC and a same-site one from another origin, with 403', async () => {
    const app = await server();
    const member = await createMember(db, 'admin');
    const cookie = `parley_session=${member.sessionToken}`;
    const crossSite = await app.inject({
      method: 'POST',
      url: '/trpc/auth.logout',
      headers: { cookie, 'content-type': 'multipart/form-data; boundary=x', 'sec-fetch-site': 'cross-site' },
      payload: '--x--\r\n',
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error).toMatchObject({ code: 'cross_site_request' });
    // An older browser without Sec-Fetch-Site: its Origin decides.
    const otherOrigin = await app.inject({
      method: 'POST',
      url: '/trpc/auth.logout',
      headers: { cookie, 'content-type': 'text/plain', origin: 'https://evil.example.org' },
      payload: '{}',
    });
    expect(otherOrigin.statusCode).toBe(403);
    expect(otherOrigin.json().error).toEqual({
      code: 'cross_site_request',
      message:
        "refused a request from https://evil.example.org: signed-in changes must come from Parley's own pages",
      fields: [],
    });
    // The session still works: nothing was logged out.
    const me = await app.inject({ method: 'GET', url: '/trpc/auth.me', headers: { cookie } });
    expect(me.json().result.data.email).toBe(member.email);
  });

  it("lets the dashboard's own requests and API-token callers through", async () => {
    const app = await server({ publicUrl: 'https://parley.example.org' });
    const member = await createMember(db, 'admin');
    const cookie = `parley_session=${member.sessionToken}`;
    const sameOrigin = await app.inject({
      method: 'POST',
      url: '/trpc/auth.logout',
      headers: { cookie, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      payload: '{}',
    });
    expect(sameOrigin.statusCode).toBe(200);
    const publicOrigin = await app.inject(
      loginRequest(member.email, TEST_PASSWORD, { origin: 'https://parley.example.org' }),
    );
    expect(publicOrigin.statusCode).toBe(200);
  });
});
