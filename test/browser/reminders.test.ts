import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/auth/api-tokens.js';
import { createMember } from '../../api/trpc/test-support.js';
import { openPage, signInAsAdmin } from './browser-page.js';
import { type Chromium, launchChromium } from './chromium.js';
import { startDashboardPlatform } from './start-dashboard-platform.js';

// A reminder to a segment in chromium against the real platform: the wizard (template →
// audience → variables → schedule → review with the estimate) creates it, the real runner
// sends it, the real sender posts each template to the simulator's fake Graph API, whose
// status webhooks come back through ingest, and the reminder's page shows the exact outcome:
// five people in the segment, one blocked (skipped), one undeliverable (failed, 131026),
// three delivered, each message received by the fake once.

const shots = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const started = await startDashboardPlatform();
const base = started.platform.url;
const fake = started.platform.simulatorGraph!;
const { db } = started.platform.database;
let browser: Chromium;
let page: Page;
const pageErrors: string[] = [];
const people = [
  { wa_id: '27820000101', name: 'Thandi' },
  { wa_id: '27820000102', name: 'Sipho' },
  { wa_id: '27820000103', name: null },
  { wa_id: '27820000104', name: 'Lindiwe' },
  { wa_id: '27820000105', name: 'Blocked Person' },
];
let token: string;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  const admin = await createMember(db, 'admin');
  token = (
    await createApiToken(db, admin.actor, {
      name: 'setup',
      scopes: ['contacts.write', 'contacts.read', 'segments.write', 'reminders.write', 'billing.manage'],
    })
  ).token;
  // Everything through the REST API, as an integrator would set it up.
  const ids: string[] = [];
  for (const p of people) {
    const created = await api('POST', '/v1/contacts', { channel: 'simulator', ...p });
    ids.push(String(created.id));
  }
  await api('PATCH', `/v1/contacts/${ids[4]}`, { blocked: true });
  const template = await api('POST', '/v1/templates', {
    name: 'clinic_visit',
    language: 'en',
    category: 'UTILITY',
    components: [
      {
        type: 'BODY',
        text: 'Hi {{1}}, your clinic visit is on {{2}}.',
        example: { body_text: [['Thandi', 'Monday']] },
      },
    ],
  });
  await fake.setTemplateStatus(String(template.meta_template_id), 'APPROVED');
  // A template with a header variable and a URL button whose address ends in a variable.
  const booking = await api('POST', '/v1/templates', {
    name: 'clinic_booking',
    language: 'en',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Visit at {{1}}', example: { header_text: ['Soweto clinic'] } },
      { type: 'BODY', text: 'Hi {{1}}, book your visit below.', example: { body_text: [['Thandi']] } },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Book',
            url: 'https://clinic.example/book/{{1}}',
            example: ['https://clinic.example/book/b-1'],
          },
        ],
      },
    ],
  });
  await fake.setTemplateStatus(String(booking.meta_template_id), 'APPROVED');
  await api('POST', '/v1/billing/top-ups', { amount: '5.00', currency: 'USD', reference: 'INV-7' });
  fake.failDeliveryTo('27820000104');
  await started.platform.mirror.drain();
  await api('POST', '/v1/segments', {
    name: 'Simulator people',
    sql: "SELECT contact_id FROM contacts WHERE channel = 'simulator'",
  });
  browser = await launchChromium({ width: 1280, height: 1000 });
  page = await openPage(browser, { timeoutMs: 20_000, errors: pageErrors });
});

afterAll(async () => {
  await browser?.close();
  await started.stop();
});

const wizard = () => page.getByRole('form', { name: 'Reminder' });
const figures = async () => {
  const list = page.getByTestId('reminder-figures');
  const terms = await list.locator('dt').allTextContents();
  const values = await list.locator('dd').allTextContents();
  return Object.fromEntries(terms.map((t, i) => [t, values[i]?.trim()]));
};
/** Messages the fake Graph API received, by recipient. */
const receivedBy = () => {
  const counts: Record<string, number> = {};
  for (const r of fake.requests) {
    const body = r.body as { to?: string; type?: string };
    if (r.method === 'POST' && r.path.endsWith('/messages') && body.type === 'template' && body.to)
      counts[body.to] = (counts[body.to] ?? 0) + 1;
  }
  return counts;
};

// Each test waits for real sends and status webhooks under a page that refreshes every 5 s.
describe('reminders in chromium', { timeout: 60_000 }, () => {
  it('builds a reminder with the wizard and shows the estimate before sending', async () => {
    await signInAsAdmin(page, base);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reminders' }).click();
    await page.getByRole('heading', { name: 'Reminders' }).waitFor();
    await page.getByText('No reminders yet.').waitFor();
    await page.getByRole('link', { name: 'New reminder' }).click();
    await page.getByRole('heading', { name: 'New reminder' }).waitFor();

    // Template: Next stays off until the reminder has a name and a template.
    await expect(wizard().getByRole('button', { name: 'Next' }).isDisabled()).resolves.toBe(true);
    await wizard()
      .getByLabel(/^Reminder name/)
      .fill('Clinic visit');
    await wizard()
      .getByLabel(/^Template/)
      .selectOption({ label: 'clinic_visit (en, utility)' });
    await page
      .getByTestId('template-bubble')
      .getByText('Hi Thandi, your clinic visit is on Monday.')
      .waitFor();
    await wizard().getByRole('button', { name: 'Next' }).click();

    // Audience: the segment.
    await wizard()
      .getByLabel(/^Segment/)
      .selectOption({ label: 'Simulator people (5 people when last counted)' });
    await wizard().getByRole('button', { name: 'Next' }).click();

    // Variables: {{1}} from the name (with a fallback), {{2}} the same for everyone.
    const first = wizard().getByRole('group', { name: 'Variable {{1}}' });
    await first.getByLabel('When empty, use').fill('there');
    const second = wizard().getByRole('group', { name: 'Variable {{2}}' });
    await second.getByLabel('Value').selectOption('text');
    await second.getByLabel('Text').fill('Monday');
    await wizard().getByRole('button', { name: 'Next' }).click();

    // Schedule: a time in the past is refused by the server and shown at its input.
    await wizard()
      .getByLabel(/^At a date and time/)
      .check();
    await wizard().getByLabel('Send at').fill('2020-01-01T09:00');
    await wizard().getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('estimate').waitFor();
    await wizard().getByRole('button', { name: 'Schedule' }).click();
    await wizard().getByText('is in the past').waitFor();
    await expect(wizard().getByLabel('Send at').getAttribute('aria-invalid')).resolves.toBe('true');
    await wizard().getByLabel(/^Now/).check();
    await wizard().getByRole('button', { name: 'Next' }).click();

    // Review: five in the segment, one blocked, four at South Africa's utility rate.
    await page.getByTestId('estimate').waitFor();
    const list = page.getByTestId('estimate-figures');
    const terms = await list.locator('dt').allTextContents();
    const values = (await list.locator('dd').allTextContents()).map((v) => v.trim());
    expect(Object.fromEntries(terms.map((t, i) => [t, values[i]]))).toEqual({
      'People in the audience now': '5',
      'Will get the message': '4',
      'Skipped: Blocked': '1',
      'Cost at most': '0.0304 USD',
      'Amount available': '5.00 USD',
    });
    await expect(
      page
        .getByRole('table', { name: 'Cost by market' })
        .locator('tbody tr')
        .evaluateAll((rows) =>
          rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim())),
        ),
    ).resolves.toEqual([['South Africa (+27)', 'utility', '4', '0.0304']]);
    // The message as it goes out: the same text for everyone, and where each person's value comes from.
    await page
      .getByTestId('template-bubble')
      .getByText('Hi ‹name, else there›, your clinic visit is on Monday.')
      .waitFor();
    await page.screenshot({ path: join(shots, 'reminder-wizard.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(390);
    await page.setViewportSize({ width: 1280, height: 1000 });
  });

  it('sends it through the fake Graph API and shows exact stats, outcomes and the chart', async () => {
    await wizard().getByRole('button', { name: 'Send now' }).click();
    await page.getByRole('heading', { name: 'Clinic visit' }).waitFor();
    const sending = page.locator('.toast').filter({ hasText: 'Reminder Clinic visit is sending' });
    await sending.waitFor();
    // Dismissed now, while it is surely there: it would hide part of the screenshot below.
    await sending.getByRole('button', { name: 'Dismiss' }).click();
    await expect(page.getByTestId('reminder-summary').locator('dd').nth(2).textContent()).resolves.toBe(
      'Segment Simulator people',
    );
    // The page reads itself again while the reminder sends, until the statuses are in.
    await page.waitForFunction(
      () => {
        const dds = [...document.querySelectorAll('[data-testid="reminder-figures"] dd')].map(
          (d) => d.textContent,
        );
        const dts = [...document.querySelectorAll('[data-testid="reminder-figures"] dt')].map(
          (d) => d.textContent,
        );
        const value = (term: string) => dds[dts.indexOf(term)];
        // The fake reads what it delivers; the charges consumer bills each delivered message.
        return value('Read') === '3' && value('Failed') === '1' && value('Cost') === '0.0228 USD';
      },
      undefined,
      { timeout: 30_000 },
    );
    await expect(figures()).resolves.toEqual({
      Targeted: '5',
      Skipped: '1',
      Sent: '3',
      Delivered: '3',
      Read: '3',
      Failed: '1',
      Replied: '0',
      'Journeys started': '0',
      // Three delivered utility templates at South Africa's rate, 0.0076 USD each.
      Cost: '0.0228 USD',
    });
    await expect(page.getByTestId('progress-text').textContent()).resolves.toBe('5 of 5 people done');
    await expect(
      page.getByRole('table', { name: 'Skipped by reason' }).locator('tbody td').allTextContents(),
    ).resolves.toEqual(['Blocked', '1']);
    await expect(
      page.getByRole('table', { name: 'Failed by error' }).locator('tbody td').allTextContents(),
    ).resolves.toEqual(['131026 · Not deliverable (not on WhatsApp, or an old app)', '1']);
    // One run (a one-off reminder), with the same counts.
    const runCells = await page.getByRole('table', { name: 'Runs' }).locator('tbody td').allTextContents();
    expect(runCells.slice(1).map((c) => c.trim())).toEqual([
      'completed',
      '5',
      '1',
      '3',
      '3',
      '3',
      '1',
      '0',
      '0.0228',
    ]);
    await page.getByRole('img', { name: 'Messages queued, delivered, read and failed over time' }).waitFor();
    const outcomes = page.getByRole('table', { name: 'Outcomes per person' });
    await outcomes.locator('tbody tr').nth(4).waitFor();
    const rows = await outcomes
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent?.trim())),
      );
    expect(rows.map((r) => r[1])).toEqual(['Read', 'Read', 'Read', 'Failed (131026)', 'Skipped: Blocked']);
    // Each reachable person's message reached the fake exactly once; the blocked one got none.
    expect(receivedBy()).toEqual({ '27820000101': 1, '27820000102': 1, '27820000103': 1, '27820000104': 1 });
    await page.screenshot({ path: join(shots, 'reminder.png'), fullPage: true });
    // On a phone the page fits its width: tables become cards, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(390);
    await page.screenshot({ path: join(shots, 'reminder-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 1000 });

    // The list shows it completed with its counts.
    await page
      .getByRole('navigation', { name: 'Breadcrumbs' })
      .getByRole('link', { name: 'Reminders' })
      .click();
    const row = page.getByRole('row', { name: /^Clinic visit / });
    await row.waitFor();
    await expect(row.getByRole('cell').allTextContents()).resolves.toEqual([
      'Clinic visit',
      'completed',
      'clinic_visit',
      'Now',
      '—',
      '4 / 5',
      '3',
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('sends to a pasted list, saves a draft, then schedules, pauses, resumes and cancels it', async () => {
    await page.getByRole('link', { name: 'New reminder' }).click();
    await wizard()
      .getByLabel(/^Reminder name/)
      .fill('Follow-up');
    await wizard()
      .getByLabel(/^Template/)
      .selectOption({ label: 'clinic_visit (en, utility)' });
    await wizard().getByRole('button', { name: 'Next' }).click();
    await wizard().getByRole('button', { name: 'A list of people' }).click();
    // Phone numbers as people write them (national, read in ZA), one unknown, one BSUID nobody has.
    await wizard()
      .getByLabel(/^Phone numbers or BSUIDs/)
      .fill('082 000 0101\n+27 82 000 0102\n27820000199\nKE.77305\n');
    await wizard().getByRole('button', { name: 'Find people' }).click();
    const listed = page.getByTestId('listed-people');
    await listed.getByText('2 people found.').waitFor();
    await expect(listed.locator('li').allTextContents()).resolves.toEqual([
      '27820000199: no person has this phone number',
      'KE.77305: no person has this BSUID',
    ]);
    await wizard().getByRole('button', { name: 'Next' }).click();
    await wizard().getByRole('group', { name: 'Variable {{1}}' }).getByLabel('When empty, use').fill('there');
    const second = wizard().getByRole('group', { name: 'Variable {{2}}' });
    await second.getByLabel('Value').selectOption('text');
    await second.getByLabel('Text').fill('Friday');
    await wizard().getByRole('button', { name: 'Next' }).click();
    await wizard()
      .getByLabel(/^At a date and time/)
      .check();
    await wizard().getByLabel('Send at').fill('2030-06-01T09:00');
    await wizard().getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('estimate-figures').getByText('People in the audience now').waitFor();
    await wizard().getByRole('button', { name: 'Save as draft' }).click();

    await page.getByRole('heading', { name: 'Follow-up' }).waitFor();
    const state = () => page.getByTestId('reminder-summary').locator('dd').first().textContent();
    const actions = () => page.locator('.page-head').getByRole('button').allTextContents();
    await expect(state()).resolves.toBe('draft');
    await expect(page.getByTestId('reminder-summary').locator('dd').nth(2).textContent()).resolves.toBe(
      'A list of 2 people',
    );
    await expect(actions()).resolves.toEqual(['Schedule', 'Cancel reminder']);
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.locator('.toast').getByText('Reminder Follow-up scheduled').waitFor();
    await expect(state()).resolves.toBe('scheduled');
    await expect(actions()).resolves.toEqual(['Pause', 'Cancel reminder']);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByTestId('reminder-summary').getByText('paused by a person').waitFor();
    await expect(actions()).resolves.toEqual(['Resume', 'Cancel reminder']);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('.toast').getByText('Reminder Follow-up resumed').waitFor();
    await expect(state()).resolves.toBe('scheduled');
    // Cancelling asks first; keeping it changes nothing.
    await page.getByRole('button', { name: 'Cancel reminder' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel Follow-up?' });
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await expect(state()).resolves.toBe('scheduled');
    await page.getByRole('button', { name: 'Cancel reminder' }).click();
    await dialog.getByRole('button', { name: 'Cancel reminder' }).click();
    await page.locator('.toast').getByText('Reminder Follow-up cancelled').waitFor();
    await expect(state()).resolves.toBe('cancelled');
    await expect(actions()).resolves.toEqual([]);
    // Nothing of this reminder reached the fake: it never ran.
    expect(receivedBy()).toEqual({ '27820000101': 1, '27820000102': 1, '27820000103': 1, '27820000104': 1 });
    const changes = await db
      .selectFrom('events')
      .select(sql<string>`payload->>'action'`.as('action'))
      .where('type', '=', 'reminder.changed')
      .where(sql`payload->>'reminder_id'`, '=', sql`(select max(id)::text from reminders)`)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => c.action)).toEqual(['created', 'scheduled', 'paused', 'resumed', 'cancelled']);
    expect(pageErrors).toEqual([]);
  });

  it('fills a header variable and a URL button’s suffix too, as Meta checks them', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reminders' }).click();
    await page.getByRole('link', { name: 'New reminder' }).click();
    await wizard()
      .getByLabel(/^Reminder name/)
      .fill('Booking');
    await wizard()
      .getByLabel(/^Template/)
      .selectOption({ label: 'clinic_booking (en, utility)' });
    await wizard().getByRole('button', { name: 'Next' }).click();
    await wizard().getByRole('button', { name: 'A list of people' }).click();
    await wizard()
      .getByLabel(/^Phone numbers or BSUIDs/)
      .fill('27820000102');
    await wizard().getByRole('button', { name: 'Find people' }).click();
    await page.getByTestId('listed-people').getByText('1 people found.').waitFor();
    await wizard().getByRole('button', { name: 'Next' }).click();
    // Back and forth keeps the list as typed, and the people found.
    await wizard().getByRole('button', { name: 'Back' }).click();
    await expect(
      wizard()
        .getByLabel(/^Phone numbers or BSUIDs/)
        .inputValue(),
    ).resolves.toBe('27820000102');
    await page.getByTestId('listed-people').getByText('1 people found.').waitFor();
    await wizard().getByRole('button', { name: 'Next' }).click();
    // Header first, then the body, then the button, each as its own value.
    await expect(wizard().locator('fieldset legend').allTextContents()).resolves.toEqual([
      'Header {{1}}',
      '{{1}}',
      'Button “Book” {{1}}',
    ]);
    const header = wizard().getByRole('group', { name: 'Variable Header {{1}}' });
    await header.getByLabel('Value').selectOption('text');
    await header.getByLabel('Text').fill('Soweto clinic');
    await wizard().getByRole('group', { name: 'Variable {{1}}' }).getByLabel('When empty, use').fill('there');
    const button = wizard().getByRole('group', { name: 'Variable Button “Book” {{1}}' });
    await button.getByLabel('Value').selectOption('text');
    await button.getByLabel('Text').fill('b-42');
    await wizard().getByRole('button', { name: 'Next' }).click();
    await wizard().getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('estimate-figures').getByText('People in the audience now').waitFor();
    await wizard().getByRole('button', { name: 'Send now' }).click();
    await page.getByRole('heading', { name: 'Booking' }).waitFor();
    await page.waitForFunction(
      () => {
        const list = document.querySelector('[data-testid="reminder-figures"]');
        const dts = [...(list?.querySelectorAll('dt') ?? [])].map((d) => d.textContent);
        const dds = [...(list?.querySelectorAll('dd') ?? [])].map((d) => d.textContent);
        return dds[dts.indexOf('Delivered')] === '1';
      },
      undefined,
      { timeout: 30_000 },
    );
    // The fake checks parameters as Meta does (132000 on a mismatch): this send passed it.
    const sent = fake.requests
      .map((r) => r.body as { to?: string; template?: { name?: string; components?: unknown[] } })
      .filter((b) => b.template?.name === 'clinic_booking');
    expect(sent.map((b) => [b.to, b.template?.components])).toEqual([
      [
        '27820000102',
        [
          { type: 'header', parameters: [{ type: 'text', text: 'Soweto clinic' }] },
          { type: 'body', parameters: [{ type: 'text', text: 'Sipho' }] },
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'b-42' }] },
        ],
      ],
    ]);
    expect(pageErrors).toEqual([]);
  });
});
