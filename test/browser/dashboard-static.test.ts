import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { registerDashboard } from '../../api/dashboard-static.js';

// registerDashboard on a real Fastify server with a small build folder: files, the SPA
// fallback for deep links, and no shadowing of the server's own paths.

const distDir = await mkdtemp(join(tmpdir(), 'parley-dist-'));
await mkdir(join(distDir, 'assets'));
await writeFile(join(distDir, 'index.html'), '<!doctype html><title>Parley</title>');
await writeFile(join(distDir, 'assets', 'index-abc123.js'), 'console.log(1)');
const app = Fastify();
app.get('/trpc/auth.me', async () => ({ result: 'trpc' }));
app.get('/simulator/public', async () => 'simulator page');
await app.register(async (scope) => registerDashboard(scope, { distDir }));
await app.ready();

afterAll(async () => {
  await app.close();
  await rm(distDir, { recursive: true, force: true });
});

const get = (url: string, accept = 'text/html') => app.inject({ url, headers: { accept } });

describe('registerDashboard', () => {
  it('serves index.html at / and for client-side routes, never cached', async () => {
    for (const url of [
      '/',
      '/login',
      '/settings/tokens',
      '/invite?x=1',
      '/simulator',
      '/conversations/simulator',
      '/people/12',
      '/segments/new',
    ]) {
      const res = await get(url);
      expect([url, res.statusCode, res.body, res.headers['cache-control']]).toEqual([
        url,
        200,
        '<!doctype html><title>Parley</title>',
        'no-cache',
      ]);
    }
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const res = await get('/assets/index-abc123.js', '*/*');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
  });

  it('leaves the server paths alone: their routes answer, unknown ones are 404 not index.html', async () => {
    expect((await get('/trpc/auth.me')).json()).toEqual({ result: 'trpc' });
    expect((await get('/simulator/public')).body).toBe('simulator page');
    for (const url of [
      '/trpc/nope',
      '/v1/nope',
      '/webhooks/x',
      '/simulator/api/x',
      '/simulator/public/x',
      '/health/x',
      '/docs/x',
      '/assets/missing.js',
    ]) {
      const res = await get(url);
      expect([url, res.statusCode]).toEqual([url, 404]);
    }
  });

  it('answers a path that is no page of the app with 404 and index.html, whose app shows its not-found page', async () => {
    for (const url of ['/nope', '/people-list', '/wp-admin/setup.php', '/settingsx']) {
      const res = await get(url);
      expect([url, res.statusCode, res.body, res.headers['cache-control']]).toEqual([
        url,
        404,
        '<!doctype html><title>Parley</title>',
        'no-cache',
      ]);
    }
  });

  it('does not answer index.html to a request that does not accept HTML', async () => {
    expect((await get('/settings/tokens', 'application/json')).statusCode).toBe(404);
  });
});
