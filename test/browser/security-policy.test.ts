import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, launchChromium } from './chromium.js';
import { adminEmail, adminPassword, startDashboardPlatform } from './start-dashboard-platform.js';

// Every page Parley serves works under its Content-Security-Policy: no violation reported,
// no console error, and the page does what it is for.

const started = await startDashboardPlatform();
const base = started.platform.url;
let browser: Chromium;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  // Recorded in the page from its first script on, so violations before any test code count too.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await started.stop();
});

describe('the security policy in chromium', () => {
  it('the dashboard signs in and shows its pages with no policy violation', async () => {
    const answer = await page.goto(`${base}/login`);
    expect(answer?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.getByLabel('Email').fill(adminEmail);
    await page.getByLabel('Password').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    for (const name of ['People', 'Segments', 'API tokens', 'Webhooks']) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
    }
    expect(problems).toEqual([]);
  });

  it('the API reference renders with its inline style allowed by hash', async () => {
    await page.goto(`${base}/docs/api`);
    await page.getByRole('heading').first().waitFor();
    // The reference page's inline style applied: its body is not the browser's default font.
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).not.toBe(
      '"Times New Roman"',
    );
    expect(problems).toEqual([]);
  });
});
