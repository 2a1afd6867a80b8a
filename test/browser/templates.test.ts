import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, signInAsAdmin } from './browser-page.js';
import { type Chromium, launchChromium } from './chromium.js';
import { startDashboardPlatform } from './start-dashboard-platform.js';

// Templates in chromium against the real platform, whose simulator account is the fake Graph
// API: an invalid template is refused with its reasons at the right inputs and never reaches
// Meta; a valid one is listed PENDING, then APPROVED after the fake's signed status webhook;
// a rejected one shows Meta's reason; deleting asks first.

const shots = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const started = await startDashboardPlatform();
const base = started.platform.url;
const fake = started.platform.simulatorGraph!;
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

const form = () => page.getByRole('form', { name: 'Template' });
const bubble = () => page.getByTestId('template-bubble');
const row = (name: string) => page.getByRole('row', { name: new RegExp(`^${name} `) });
const statusOf = async (name: string) => (await row(name).getByRole('cell').nth(3).textContent())?.trim();
/** Meta's id of a template the fake received, by name. */
const metaIdOf = (name: string) => [...fake.templates.values()].find((t) => t.name === name)?.id;

/** Waits until the list, read again, shows the status (the fake's webhook lands asynchronously). */
async function waitForStatus(name: string, expected: string) {
  for (;;) {
    await page.reload();
    await row(name).waitFor();
    const status = await statusOf(name);
    if (status?.startsWith(expected)) return status;
    await page.waitForTimeout(200);
  }
}

describe('templates in chromium', () => {
  it('refuses an invalid template with each reason at its input, before anything reaches Meta', async () => {
    await signInAsAdmin(page, base);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Templates' }).waitFor();
    await page.getByText('No templates yet.').waitFor();
    await page.getByRole('link', { name: 'New template' }).click();
    await page.getByRole('heading', { name: 'New template' }).waitFor();

    await form().getByLabel(/^Name/).fill('Clinic reminder');
    await form().getByLabel('Body').fill('{{1}}, your visit is on {{2}}.');
    const samples = form().getByRole('group', { name: 'Body samples' });
    await samples.getByLabel('Sample for {{1}}').fill('Thandi');
    // The preview follows the draft: the sample stands in for {{1}}, {{2}} has none yet.
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="template-bubble"] .msg-text')?.textContent ===
        'Thandi, your visit is on {{2}}.',
    );
    await expect(page.locator('.preview-missing').textContent()).resolves.toBe('No sample yet for: body.2');

    await form().getByRole('button', { name: 'Submit for review' }).click();
    await form().locator('.field-error').first().waitFor();
    await expect(form().getByLabel(/^Name/).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(form().locator('.field-error').allTextContents()).resolves.toEqual([
      'only lowercase letters, digits and underscores',
      'Meta refuses a body that starts or ends with a variable: add text before and after',
      'give 2 sample value(s), one per variable, none empty',
      'Not saved: see the marked fields.',
    ]);
    expect(fake.templates.size).toBe(0);
  });

  it('submits a valid one with every part, previewed as WhatsApp shows it, and lists it PENDING', async () => {
    await form().getByLabel(/^Name/).fill('clinic_reminder');
    await form().getByLabel('Header', { exact: true }).selectOption('TEXT');
    await form().getByLabel('Header text').fill('Your clinic visit');
    await form().getByLabel('Body').fill('Hello {{1}}, your visit is on {{2}}. Reply to confirm.');
    const samples = form().getByRole('group', { name: 'Body samples' });
    await samples.getByLabel('Sample for {{2}}').fill('5 May');
    await form().getByLabel('Footer').fill('Soweto clinic');
    await form().getByRole('button', { name: 'Add button' }).click();
    const first = form().getByRole('group', { name: 'Button 1' });
    await first.getByLabel('Button text').fill('Confirm');
    await form().getByRole('button', { name: 'Add button' }).click();
    const second = form().getByRole('group', { name: 'Button 2' });
    await second.getByLabel('Kind').selectOption('URL');
    await second.getByLabel('Button text').fill('Directions');
    await second.getByLabel(/^URL/).fill('https://example.org/clinic/{{1}}');
    await second.getByLabel('Example URL').fill('https://example.org/clinic/soweto');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="template-bubble"] .msg-text')?.textContent ===
        'Hello Thandi, your visit is on 5 May. Reply to confirm.',
    );
    await expect(bubble().locator('.msg-header').textContent()).resolves.toBe('Your clinic visit');
    await expect(bubble().locator('.msg-footer').textContent()).resolves.toBe('Soweto clinic');
    await expect(page.locator('.template-preview span.reply').allTextContents()).resolves.toEqual([
      '↩ Confirm',
      '↗ Directions',
    ]);
    await expect(page.locator('.preview-missing').count()).resolves.toBe(0);
    // The last refusal's reasons stay with their parts, although a header now comes first.
    await expect(form().locator('.field-error').allTextContents()).resolves.toEqual([
      'only lowercase letters, digits and underscores',
      'Meta refuses a body that starts or ends with a variable: add text before and after',
      'give 2 sample value(s), one per variable, none empty',
      'Not saved: see the marked fields.',
    ]);
    await expect(form().getByLabel('Header text').getAttribute('aria-invalid')).resolves.toBe(null);

    await form().getByRole('button', { name: 'Submit for review' }).click();
    await page.getByRole('heading', { name: 'Templates' }).waitFor();
    await row('clinic_reminder').waitFor();
    await expect(statusOf('clinic_reminder')).resolves.toBe('PENDING');
    const submitted = fake.templates.get(metaIdOf('clinic_reminder')!);
    expect(submitted?.components).toEqual([
      {
        type: 'HEADER',
        format: 'TEXT',
        text: 'Your clinic visit',
      },
      {
        type: 'BODY',
        text: 'Hello {{1}}, your visit is on {{2}}. Reply to confirm.',
        example: { body_text: [['Thandi', '5 May']] },
      },
      { type: 'FOOTER', text: 'Soweto clinic' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Confirm' },
          {
            type: 'URL',
            text: 'Directions',
            url: 'https://example.org/clinic/{{1}}',
            example: ['https://example.org/clinic/soweto'],
          },
        ],
      },
    ]);
  });

  it('shows it APPROVED after Meta approves it (the fake posts the signed status webhook)', async () => {
    expect((await fake.setTemplateStatus(metaIdOf('clinic_reminder')!, 'APPROVED'))?.status).toBe(200);
    await expect(waitForStatus('clinic_reminder', 'APPROVED')).resolves.toBe('APPROVED');
    // Its editor reads the saved components back, and the preview renders them again.
    await row('clinic_reminder').getByRole('link', { name: 'clinic_reminder' }).click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="template-bubble"] .msg-text')?.textContent ===
        'Hello Thandi, your visit is on 5 May. Reply to confirm.',
    );
    await expect(page.getByTestId('template-status').textContent()).resolves.toBe('Status: APPROVED');
    await page.screenshot({ path: join(shots, 'template-editor.png'), fullPage: true });
    await page
      .getByRole('navigation', { name: 'Breadcrumbs' })
      .getByRole('link', { name: 'Templates' })
      .click();
  });

  it('shows a rejected template with Meta reason, in the list and in its editor', async () => {
    await page.getByRole('link', { name: 'New template' }).click();
    await form().getByLabel(/^Name/).fill('flash_sale');
    await form().getByLabel('Category').selectOption('MARKETING');
    await form().getByLabel('Variables', { exact: true }).selectOption('named');
    await form().getByLabel('Body').fill('Hi {{first_name}}, everything is half price today!');
    await form()
      .getByRole('group', { name: 'Body samples' })
      .getByLabel('Sample for {{first_name}}')
      .fill('Thandi');
    await form().getByRole('button', { name: 'Submit for review' }).click();
    await row('flash_sale').waitFor();
    await fake.setTemplateStatus(metaIdOf('flash_sale')!, 'REJECTED', {
      reason: 'PROMOTIONAL',
      detail: {
        rejection_info: { reason: 'Promotional content in a utility slot', recommendation: 'Use MARKETING' },
      },
    });
    await expect(waitForStatus('flash_sale', 'REJECTED')).resolves.toBe(
      'REJECTED PROMOTIONAL — Promotional content in a utility slot — Use MARKETING',
    );
    await page.screenshot({ path: join(shots, 'templates.png') });

    await row('flash_sale').getByRole('link', { name: 'flash_sale' }).click();
    await page.getByTestId('template-status').waitFor();
    await expect(page.getByTestId('template-status').textContent()).resolves.toBe(
      'Status: REJECTED PROMOTIONAL — Promotional content in a utility slot — Use MARKETING',
    );
    // Name, language and variable style are Meta's key: fixed once submitted.
    await expect(form().getByLabel(/^Name/).isDisabled()).resolves.toBe(true);
    await expect(form().getByLabel('Body').inputValue()).resolves.toBe(
      'Hi {{first_name}}, everything is half price today!',
    );
  });

  it('deletes a template after the confirm dialog, at Meta too', async () => {
    await page
      .getByRole('navigation', { name: 'Breadcrumbs' })
      .getByRole('link', { name: 'Templates' })
      .click();
    await row('flash_sale').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading').textContent()).resolves.toBe('Delete flash_sale (en)?');
    await dialog.getByRole('button', { name: 'Delete template' }).click();
    await row('flash_sale').waitFor({ state: 'detached' });
    await expect(page.getByRole('status').filter({ hasText: 'deleted' }).textContent()).resolves.toBe(
      'Template flash_sale deleted×',
    );
    expect([...fake.templates.values()].map((t) => t.name)).toEqual(['clinic_reminder']);
    expect(pageErrors).toEqual([]);
  });
});
