import type { Page } from 'playwright-core';
import type { Chromium } from './chromium.js';
import { adminEmail, adminPassword } from './start-dashboard-platform.js';

/** A new tab with the test's timeout, whose uncaught page errors land in `errors` (asserted empty). */
export async function openPage(
  browser: Chromium,
  options: { timeoutMs: number; errors: string[] },
): Promise<Page> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(options.timeoutMs);
  page.on('pageerror', (error) => options.errors.push(error.message));
  return page;
}

/** Signs in on the login page as the first admin (PARLEY_ADMIN_EMAIL/PASSWORD of startDashboardPlatform). */
export async function signInAsAdmin(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(adminEmail);
  await page.getByLabel('Password').fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
