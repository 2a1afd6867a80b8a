// `npm run bench -- dashboard [--requests N] [--concurrency C]`
// The dashboard's production build, gzipped (target < 250 KB of JS for the whole app), and
// the requests/s of an authenticated tRPC query (auth.me with a session cookie) against a
// started platform.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { startPlatform } from '../api/platform.js';
import { loadConfig } from '../core/config.js';
import { benchDatabase, percentile, printTable } from './_support.js';

const root = join(import.meta.dirname, '..');
const targetJsKb = 250;

export default async function dashboardBench(args: string[]) {
  const requests = Number(argument(args, '--requests') ?? 5_000);
  const concurrency = Number(argument(args, '--concurrency') ?? 16);

  const started = performance.now();
  await build({ configFile: join(root, 'dashboard', 'vite.config.ts'), logLevel: 'warn' });
  const buildSeconds = (performance.now() - started) / 1000;
  const sizes = await gzippedSizes(join(root, 'dist', 'dashboard', 'assets'));
  printTable('Dashboard build (dist/dashboard)', [
    ['build time', `${buildSeconds.toFixed(1)} s`],
    [
      'JS, gzipped',
      `${kb(sizes.js)} KB (target < ${targetJsKb} KB: ${sizes.js / 1024 < targetJsKb ? 'met' : 'MISSED'})`,
    ],
    ['JS, raw', `${kb(sizes.jsRaw)} KB`],
    ['CSS, gzipped', `${kb(sizes.css)} KB`],
  ]);

  const bench = await benchDatabase('dashboard');
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const email = 'bench@example.org';
  const password = 'bench password 123';
  const platform = await startPlatform(
    loadConfig({
      DATABASE_URL: bench.url,
      PORT: '0',
      HOST: '127.0.0.1',
      PARLEY_DATA_DIR: dataDir,
      PARLEY_ADMIN_EMAIL: email,
      PARLEY_ADMIN_PASSWORD: password,
      PARLEY_LOG_LEVEL: 'silent',
    }),
    { log: () => {} },
  );
  try {
    const port = new URL(platform.url).port;
    const login = await fetch(`http://127.0.0.1:${port}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');

    // Warm up (JIT, pool connections) before measuring.
    for (let i = 0; i < 200; i++) await get(Number(port), '/trpc/auth.me', cookie);
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next++;
          const t = performance.now();
          const body = await get(Number(port), '/trpc/auth.me', cookie);
          latencies.push(performance.now() - t);
          if (!body.includes(email)) throw new Error(`auth.me did not answer the member: ${body}`);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    printTable(`Authenticated tRPC query auth.me (${requests} requests, concurrency ${concurrency})`, [
      ['requests/s', (requests / seconds).toFixed(0)],
      ['p50 latency', `${percentile(latencies, 0.5).toFixed(2)} ms`],
      ['p99 latency', `${percentile(latencies, 0.99).toFixed(2)} ms`],
    ]);
  } finally {
    await platform.stop();
    await bench.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function gzippedSizes(dir: string) {
  const sizes = { js: 0, jsRaw: 0, css: 0 };
  for (const file of await readdir(dir)) {
    const content = await readFile(join(dir, file));
    if (file.endsWith('.js')) {
      sizes.js += gzipSync(content, { level: 9 }).length;
      sizes.jsRaw += content.length;
    } else if (file.endsWith('.css')) {
      sizes.css += gzipSync(content, { level: 9 }).length;
    }
  }
  return sizes;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

// Keep-alive connections, as a browser holds them; node:http keeps client overhead low.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One GET of a tRPC query with the session cookie. */
function get(port: number, path: string, cookie: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { cookie }, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`${res.statusCode} ${body}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

function argument(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}
