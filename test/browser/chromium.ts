import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { withDirectoryLock } from './directory-lock.js';

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

const installHint =
  'no Chromium found: set PARLEY_CHROMIUM=/path/to/chrome, install one (apt-get install chromium), or run npm install (the @sparticuz/chromium dev dependency ships one for Linux x64/arm64)';

let found: Promise<string> | undefined;

/**
 * Finds a Chromium the way people have one, so `npm test` works on a machine with Node alone:
 * PARLEY_CHROMIUM or CHROME_PATH; else a system chromium / google-chrome / chromium-browser
 * on PATH; else Playwright's own browser cache; else the Chromium that the @sparticuz/chromium
 * dev dependency ships inside the npm package (measured here: 66 MB installed, unpacked to
 * /tmp once in ~26 s on a loaded 2-core machine, then launched in ~4 s).
 * PARLEY_CHROMIUM_SKIP_SYSTEM=1 skips the system and Playwright lookups, to test the npm one.
 */
export function findChromium(): Promise<string> {
  found ??= (async () => {
    const configured = process.env.PARLEY_CHROMIUM || process.env.CHROME_PATH;
    if (configured) return configured;
    if (process.env.PARLEY_CHROMIUM_SKIP_SYSTEM !== '1') {
      const onPath = systemChromium() ?? playwrightChromium();
      if (onPath) return onPath;
    }
    const shipped = await import('@sparticuz/chromium').catch(() => undefined);
    if (shipped) return unpackedOnce(() => shipped.default.executablePath());
    throw new Error(installHint);
  })();
  return found;
}

/**
 * Test files run in several processes, and each would unpack the shipped Chromium to the same
 * /tmp path: one launching it while another still writes it fails with ETXTBSY. A lock
 * directory (mkdir is atomic) lets one process unpack while the others wait; the package
 * then finds the unpacked binary and returns at once. A lock older than 5 minutes is stale.
 */
async function unpackedOnce(unpack: () => Promise<string>): Promise<string> {
  return withDirectoryLock(join(tmpdir(), 'parley-chromium-unpack.lock'), unpack);
}

/** A headless chromium with a fresh profile, so no cookie or cache leaks between test files. */
export async function launchChromium(options: { width?: number; height?: number } = {}): Promise<Chromium> {
  const executablePath = await findChromium();
  const userDataDir = await mkdtemp(join(tmpdir(), 'parley-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // The npm-shipped build has no /dev/shm assumptions of its own; small containers need this.
      '--disable-dev-shm-usage',
    ],
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

function systemChromium(): string | undefined {
  const names = ['chromium', 'google-chrome', 'google-chrome-stable', 'chromium-browser'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** `npx playwright install chromium` puts browsers in ~/.cache/ms-playwright/chromium-NNNN. */
function playwrightChromium(): string | undefined {
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(cache)) return undefined;
  const builds = readdirSync(cache)
    .filter((name) => /^chromium-\d+$/.test(name))
    .sort((a, b) => Number(b.slice(9)) - Number(a.slice(9)));
  for (const build of builds) {
    for (const sub of ['chrome-linux64/chrome', 'chrome-linux/chrome']) {
      const candidate = join(cache, build, sub);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}
