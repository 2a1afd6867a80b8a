import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Paths the fallback must never answer: the APIs and pages of the server, and missing build files. */
const serverPrefixes = [
  '/assets',
  '/trpc',
  '/v1',
  '/webhooks',
  '/simulator/api',
  '/simulator/public',
  '/health',
  '/openapi.json',
  '/docs',
];

/**
 * The dashboard's own pages (dashboard/src/main.tsx routes under these): index.html answers
 * them with 200. Other paths get index.html with 404, and the app shows its not-found page.
 */
const appPrefixes = [
  '/login',
  '/setup',
  '/invite',
  '/simulator',
  '/conversations',
  '/people',
  '/segments',
  '/templates',
  '/reminders',
  '/settings',
];

const underAny = (path: string, prefixes: readonly string[]) =>
  prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

function isServerPath(url: string): boolean {
  return underAny(url.split('?')[0]!, serverPrefixes);
}

function isAppPath(url: string): boolean {
  const path = url.split('?')[0]!;
  return path === '/' || underAny(path, appPrefixes);
}

/**
 * Serves the dashboard's production build (dist/dashboard) at /: its files, and index.html for
 * any other GET that is not a server path, so the client-side router can handle deep links
 * (/settings/tokens, /invite#token=...), with status 404 for paths that are no page of the app.
 * Hashed assets are cached for a year; index.html never.
 */
export async function registerDashboard(app: FastifyInstance, options: { distDir: string }): Promise<void> {
  await app.register(fastifyStatic, {
    root: options.distDir,
    // Routes for the files that exist now; the SPA fallback below answers the rest.
    wildcard: false,
    index: 'index.html',
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header('cache-control', path.includes(join('assets', '')) ? immutable : 'no-cache');
    },
  });
  // Browsers ask for /favicon.ico on pages without an icon link (the API reference, which is
  // self-contained): the dashboard's icon answers, so no page logs a failed request.
  app.get('/favicon.ico', { config: { permission: 'public' } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').sendFile('favicon.svg'),
  );
  app.get('/*', { config: { permission: 'public' } }, async (request, reply) => {
    if (isServerPath(request.url) || !(request.headers.accept ?? '*/*').match(/text\/html|\*\/\*/)) {
      return reply.callNotFound();
    }
    reply.header('cache-control', 'no-cache');
    if (!isAppPath(request.url)) reply.code(404);
    return reply.sendFile('index.html');
  });
}

const immutable = 'public, max-age=31536000, immutable';

let building: Promise<string> | undefined;

/**
 * Returns dist/dashboard, building it with Vite first when index.html is missing (`npm start`
 * on a fresh clone). The build goes to a temporary folder that is renamed into place, so two
 * processes starting at once never serve a half-written build. `force` rebuilds anyway (the
 * browser tests, so they never test a stale build).
 */
export function ensureDashboardBuilt(rootDir: string, options: { force?: boolean } = {}): Promise<string> {
  const distDir = join(rootDir, 'dist', 'dashboard');
  if (!options.force && existsSync(join(distDir, 'index.html'))) return Promise.resolve(distDir);
  building ??= (async () => {
    const outDir = join(rootDir, 'dist', `.dashboard-${process.pid}-${Date.now()}`);
    await mkdir(join(rootDir, 'dist'), { recursive: true });
    // vite is a dev dependency: imported only when a build is needed.
    const { build } = await import('vite');
    await build({
      configFile: join(rootDir, 'dashboard', 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    if (!options.force && existsSync(join(distDir, 'index.html'))) {
      await rm(outDir, { recursive: true, force: true });
    } else {
      await rm(distDir, { recursive: true, force: true });
      await rename(outDir, distDir);
    }
    return distDir;
  })().finally(() => {
    building = undefined;
  });
  return building;
}
