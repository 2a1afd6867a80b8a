import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMessage } from '../../core/outbox/queue-message.js';
import { openPage, signInAsAdmin } from './browser-page.js';
import { type Chromium, launchChromium } from './chromium.js';
import { startDashboardPlatform } from './start-dashboard-platform.js';

// The billing page in chromium against the real platform: a top-up recorded on the page, then
// a template message that the real sender delivers through the simulator's fake Graph API,
// whose status webhook carries Meta's pricing, so the charges consumer bills it at the seed
// rate card (South Africa, utility: 0.0076 USD). The page shows the exact figures, and the
// low-balance banner appears on every page once the threshold is above the amount available.

const shots = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const started = await startDashboardPlatform();
const base = started.platform.url;
const { db } = started.platform.database;
let browser: Chromium;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  browser = await launchChromium({ width: 1280, height: 900 });
  page = await openPage(browser, { timeoutMs: 15_000, errors: pageErrors });
});

afterAll(async () => {
  await browser?.close();
  await started.stop();
});

const banner = () => page.locator('.low-balance');
const breakdown = async () =>
  (await page.getByTestId('balance-breakdown').locator('dd').allTextContents()).map((t) => t.trim());
const table = (caption: string) => page.getByRole('table', { name: caption });
const cells = async (caption: string) =>
  table(caption)
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim())),
    );

/** Waits until the log has charged the message and released its reservation. */
async function charged(): Promise<void> {
  for (;;) {
    const [charges, open] = await Promise.all([
      db.selectFrom('charges').select('amount_micros').execute(),
      db.selectFrom('billing_reservations').select('message_id').where('settled_at', 'is', null).execute(),
    ]);
    if (charges.length === 1 && open.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('billing in chromium', () => {
  it('records a top-up on the page and shows it in the amount available', async () => {
    await signInAsAdmin(page, base);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Amount available' }).waitFor();
    await expect(page.getByTestId('available').textContent()).resolves.toBe('0.00 USD');

    const form = page.getByRole('form', { name: 'Record a top-up' });
    await form.getByLabel('Amount (USD)').fill('0');
    await form.getByLabel('Payment reference').fill('INV-2026-001');
    await form.getByRole('button', { name: 'Record top-up' }).click();
    await form.getByText('must be more than 0').waitFor();
    await form.getByLabel('Amount (USD)').fill('10.00');
    await form.getByLabel('Note').fill('December transfer');
    await form.getByRole('button', { name: 'Record top-up' }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="available"]')?.textContent === '10.00 USD',
    );
    const [row] = await cells('Top-ups');
    expect(row?.slice(1, 5)).toEqual(['10.00 USD', 'INV-2026-001', 'December transfer', `user:1`]);
    await expect(breakdown()).resolves.toEqual(['10.00', '0.00', '0.00', 'off']);
  });

  it('shows a delivered template message charged at the rate card, per day, number and country', async () => {
    await db.transaction().execute((tx) =>
      queueMessage(tx, {
        channel: 'simulator',
        wa_id: '27820000001',
        source: 'api',
        message: { type: 'template', name: 'visit_reminder', language: 'en' },
      }),
    );
    await charged();
    await page.reload();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="available"]')?.textContent === '9.9924 USD',
    );
    await expect(breakdown()).resolves.toEqual(['10.00', '0.0076', '0.00', 'off']);
    await expect(page.getByTestId('spend-total').textContent()).resolves.toBe(
      '0.0076 USD on 1 delivered message',
    );
    await expect(cells('Per number')).resolves.toEqual([['simulator', '1', '0.0076']]);
    await expect(cells('Per country and category')).resolves.toEqual([
      ['South Africa (+27)', 'utility', '1', '0.0076'],
    ]);
    await expect(
      page.getByRole('img', { name: /^Spend per day in / }).count(),
      'the chart of the month',
    ).resolves.toBe(1);
    const rates = await cells('Rates per market and category');
    expect(rates.find((r) => r[0] === '+27')).toEqual([
      '+27',
      'South Africa',
      '0.0379',
      '0.0076',
      '0.0076',
      '—',
      '0.00',
    ]);
    // Last month had no spend: the other period answers with its own (empty) tables.
    await page.getByRole('group', { name: 'Month' }).getByRole('button').nth(1).click();
    await expect(page.getByTestId('spend-total').textContent()).resolves.toBe(
      '0.00 USD on 0 delivered messages',
    );
    await page.getByRole('group', { name: 'Month' }).getByRole('button').nth(0).click();
    await page.getByTestId('spend-total').filter({ hasText: '0.0076' }).waitFor();
    await page.screenshot({ path: join(shots, 'billing.png'), fullPage: true });
  });

  it('shows the low-balance banner on every page while the amount is under the threshold', async () => {
    await expect(banner().count()).resolves.toBe(0);
    const settings = page.getByRole('form', { name: 'Settings' });
    await settings.getByLabel('Low-balance alert below (USD)').fill('20');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await banner().waitFor();
    await expect(banner().textContent()).resolves.toBe(
      'Low balance: 9.9924 USD available, below the alert threshold of 20.00 USD. Go to Billing',
    );
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Templates' }).waitFor();
    await banner().waitFor();
    await banner().getByRole('link', { name: 'Go to Billing' }).click();
    await page.getByRole('form', { name: 'Record a top-up' }).getByLabel('Amount (USD)').fill('15');
    await page
      .getByRole('form', { name: 'Record a top-up' })
      .getByLabel('Payment reference')
      .fill('INV-2026-002');
    await page.getByRole('button', { name: 'Record top-up' }).click();
    await banner().waitFor({ state: 'detached' });
    await expect(page.getByTestId('available').textContent()).resolves.toBe('24.9924 USD');
    expect(pageErrors).toEqual([]);
  });

  it('publishes a new rate card: a broken line is named, then the new prices are in force', async () => {
    const form = page.getByRole('form', { name: 'Publish a rate card' });
    const header =
      'calling_code,market,marketing,utility,authentication,authentication_international,service';
    await form.getByLabel(/^Rates/).fill(`${header}\n27,South Africa,0.0400,cheap,0.0070,,0.00\n`);
    await form.getByLabel(/^Source/).fill('Negotiated prices, 2027');
    await form.getByRole('button', { name: 'Publish rate card' }).click();
    await form.getByText('utility must be an amount such as 0.0379').waitFor();
    await form
      .getByLabel(/^Rates/)
      .fill(`${header}\n27,South Africa,0.0400,0.0080,0.0070,,0.00\n*,Other,0.0600,0.0090,0.0080,,0.00\n`);
    await form.getByRole('button', { name: 'Publish rate card' }).click();
    await page.locator('.toast').getByText('Rate card published').waitFor();
    await expect(cells('Rates per market and category')).resolves.toEqual([
      ['+27', 'South Africa', '0.04', '0.008', '0.007', '—', '0.00'],
      ['*', 'Other', '0.06', '0.009', '0.008', '—', '0.00'],
    ]);
    const versions = await cells('Rate card versions');
    expect(versions.map((v) => [v[1], v[2], v[3]])).toEqual([
      ['USD', 'Negotiated prices, 2027', 'user:1'],
      ['USD', 'seed: Meta per-message rates of 1 July 2025 (sql/rate-cards/2025-07-01-usd.csv)', 'system'],
    ]);
    expect(pageErrors).toEqual([]);
  });
});
