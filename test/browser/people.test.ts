import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../api/auth/session-cookie.js';
import { createSession } from '../../api/auth/sessions.js';
import { insertUser } from '../../api/auth/users.js';
import { resolvePerson } from '../../core/people/resolve-person.js';
import { openPage, signInAsAdmin } from './browser-page.js';
import { type Chromium, launchChromium } from './chromium.js';
import { startDashboardPlatform } from './start-dashboard-platform.js';

// The people pages in Debian's chromium against the real platform: custom fields in settings,
// a CSV import with one bad row through the wizard, the people list, and a person's page
// (a refused field value, a saved one, a label, and both in the timeline), with screenshots.

const shots = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const started = await startDashboardPlatform();
const base = started.platform.url;
const db = started.platform.database.db;
let browser: Chromium;
let page: Page;
const pageErrors: string[] = [];

const csv = [
  'Phone,Name,District,Age,Labels,Clinic',
  '+27821234567,Thandi Mokoena,north,34,vip;pilot,Soweto',
  '082 123 4568,Sipho Dlamini,South,28,pilot,Khayelitsha',
  'not a phone,Bad Row,north,40,,Soweto',
  '+27821234569,Lerato Khumalo,north,19,,Soweto',
].join('\n');

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  browser = await launchChromium({ width: 1280, height: 900 });
  page = await openPage(browser, { timeoutMs: 10_000, errors: pageErrors });
  await signInAsAdmin(page, base);
  await page.getByRole('heading', { name: 'Simulator' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await started.stop();
});

const shot = (name: string, fullPage = false) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage });

describe('the people pages in chromium', () => {
  it('creates custom fields in settings, the key suggested from the name', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Custom fields' }).click();
    await page.getByText('No custom fields yet.').waitFor();
    const form = page.getByRole('form', { name: 'Create a custom field' });
    await form.getByLabel('Name').fill('Age');
    await form.getByLabel('Type').selectOption('number');
    await expect(form.getByLabel(/^Key/).inputValue()).resolves.toBe('age');
    await form.getByRole('button', { name: 'Create field' }).click();
    await page.getByRole('cell', { name: 'age', exact: true }).waitFor();

    await form.getByLabel('Name').fill('Home district');
    await form.getByLabel(/^Key/).fill('district');
    await form.getByLabel('Type').selectOption('choice');
    await form.getByLabel(/^Options/).fill('north = North\nsouth = South');
    await form.getByRole('button', { name: 'Create field' }).click();
    await page.getByRole('cell', { name: 'district', exact: true }).waitFor();

    const rows = await page
      .getByRole('table', { name: 'Fields' })
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent)),
      );
    expect(rows).toEqual([
      ['Age', 'age', 'Number', '—'],
      ['Home district', 'district', 'Single choiceNorth, South', '—'],
    ]);
    await shot('custom-fields');

    // A segment that uses age (the segments helper's pages make these): deleting age is refused.
    const segment = await db
      .insertInto('segments')
      .values({
        name: 'Adults',
        description: null,
        sql: "select contact_id from contacts where (custom_fields->>'age')::int >= 18",
        field_keys: ['age'],
        created_by: 'user:1',
        created_at: new Date(),
        updated_at: new Date(),
        archived_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await page.reload();
    const ageRow = page.getByRole('row', { name: /^Age age/ });
    await expect(ageRow.getByRole('cell').nth(3).textContent()).resolves.toBe('segment Adults');
    await ageRow.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete the field "Age"?' })
      .getByRole('button', { name: 'Delete field' })
      .click();
    await expect(page.getByRole('alert').locator('span').textContent()).resolves.toBe(
      `custom field age is used by segment ${segment.id} "Adults"; change those first`,
    );
    await expect(page.getByRole('cell', { name: 'age', exact: true }).count()).resolves.toBe(1);
  });

  it('imports a CSV with one bad row: the good rows land and the bad line is listed', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByText('No people yet.', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByLabel(/^CSV file/).setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('people.csv: 4 rows, 6 columns.').waitFor();
    const suggested = await Promise.all(
      ['Phone', 'Name', 'District', 'Age', 'Labels', 'Clinic'].map((h) =>
        page.getByLabel(`Field for column ${h}`).inputValue(),
      ),
    );
    expect(suggested).toEqual(['phone', 'name', 'district', 'age', 'labels', '']);
    // Clinic fits no field: create one here, without leaving the wizard.
    await page.getByRole('button', { name: 'New field for Clinic' }).click();
    const newField = page.getByRole('form', { name: 'Create a custom field' });
    await expect(newField.getByLabel('Name').inputValue()).resolves.toBe('Clinic');
    await newField.getByRole('button', { name: 'Create field' }).click();
    await newField.waitFor({ state: 'detached' });
    await expect(page.getByLabel('Field for column Clinic').inputValue()).resolves.toBe('clinic');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('3 valid rows, 1 with errors', { exact: false }).waitFor();
    const flagged = await page.locator('tr.row-error td').first().textContent();
    expect(flagged).toBe('4');

    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByText('Done', { exact: true }).waitFor({ timeout: 30_000 });
    await expect(page.locator('progress').getAttribute('value')).resolves.toBe('100');
    const summary = await page.getByRole('definition').allTextContents();
    expect(summary).toEqual(['3', '0', '0', '1']);
    const invalid = page.getByRole('table', { name: 'Invalid lines' }).locator('tbody tr');
    await invalid.first().waitFor();
    const lines = await invalid.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent));
    expect(lines).toEqual(['4']);
    await shot('import', true);

    const stored = await db
      .selectFrom('contacts')
      .select(['wa_id', 'name', 'labels', 'fields'])
      .orderBy('wa_id')
      .execute();
    expect(stored).toEqual([
      {
        wa_id: '27821234567',
        name: 'Thandi Mokoena',
        labels: ['pilot', 'vip'],
        fields: { age: 34, district: 'north', clinic: 'Soweto' },
      },
      {
        wa_id: '27821234568',
        name: 'Sipho Dlamini',
        labels: ['pilot'],
        fields: { age: 28, district: 'south', clinic: 'Khayelitsha' },
      },
      {
        wa_id: '27821234569',
        name: 'Lerato Khumalo',
        labels: [],
        fields: { age: 19, district: 'north', clinic: 'Soweto' },
      },
    ]);
  });

  it('lists the imported people, filters by label, and shows the total', async () => {
    await page.getByRole('link', { name: 'See people' }).click();
    await page.getByRole('heading', { name: 'People', exact: true }).waitFor();
    await page.getByText('3 people').waitFor();
    const list = page.getByRole('region', { name: 'People list' });
    await expect(list.locator('tbody tr:not(.spacer)').count()).resolves.toBe(3);
    await shot('people');
    // On a phone each person is a card holding every column: nothing hides behind a sideways scroll.
    const headers = await list.locator('thead th').allTextContents();
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(390);
    const thandi = list.getByRole('row', { name: /Thandi Mokoena/ });
    await expect(
      thandi.getByRole('cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-label') ?? '')),
    ).resolves.toEqual(['Select', ...headers.slice(1).map((h) => h.trim())]);
    expect(headers.slice(1).map((h) => h.trim())).toEqual([
      'Name',
      'Phone',
      'BSUID / username',
      'Opt-in',
      'Labels',
      'Last message',
    ]);
    await expect(thandi.getByText('Thandi Mokoena').isVisible()).resolves.toBe(true);
    await shot('people-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('search').getByLabel('Label').selectOption('vip');
    await page.getByText('1 matching').waitFor();
    await expect(page.getByRole('link', { name: 'Export CSV (vip)' }).getAttribute('href')).resolves.toBe(
      '/v1/contacts/export.csv?label=vip',
    );
    await page.getByRole('search').getByLabel('Label').selectOption('');
    await page.getByText('3 people').waitFor();

    await page.getByRole('search').getByLabel('Search').fill('Sipho');
    await page.getByText('1 matching').waitFor();
    await page.getByRole('search').getByLabel('Search').fill('');
    await page.getByText('3 people').waitFor();

    await list.getByLabel('Select Thandi Mokoena').check();
    await list.getByLabel('Select Sipho Dlamini').check();
    const bulk = page.getByRole('form', { name: 'Label the selected people' });
    await expect(bulk.getByRole('status').textContent()).resolves.toBe('2 selected');
    await bulk.getByLabel('Label').fill('wave2');
    await bulk.getByRole('button', { name: 'Add label' }).click();
    await page.getByRole('status').filter({ hasText: 'Labels changed on 2 people' }).waitFor();
    const labelled = await db.selectFrom('contacts').select(['name', 'labels']).orderBy('wa_id').execute();
    expect(labelled).toEqual([
      { name: 'Thandi Mokoena', labels: ['pilot', 'vip', 'wave2'] },
      { name: 'Sipho Dlamini', labels: ['pilot', 'wave2'] },
      { name: 'Lerato Khumalo', labels: [] },
    ]);
  }, 60_000);

  it("edits a person's fields (a refused value shows its reason), adds a label, and sees both in the timeline", async () => {
    const { id } = await db
      .selectFrom('contacts')
      .select('id')
      .where('wa_id', '=', '27821234569')
      .executeTakeFirstOrThrow();
    await page.goto(`${base}/people/${id}`);
    await page.getByRole('heading', { name: 'Custom fields' }).waitFor();
    const age = page.getByLabel(/^Age/);
    await expect(age.inputValue()).resolves.toBe('19');
    // A choice field shows its value (its options exist before the selection is made).
    const district = page.getByLabel(/^Home district/);
    await expect(district.inputValue()).resolves.toBe('north');
    await expect(district.locator('option:checked').textContent()).resolves.toBe('North');

    await age.fill('nineteen');
    await page.getByRole('button', { name: 'Save fields' }).click();
    await expect(page.locator('#field-age-error').textContent()).resolves.toBe('must be a number');
    await expect(age.getAttribute('aria-invalid')).resolves.toBe('true');

    await age.fill('20');
    await page.getByLabel(/^Home district/).selectOption('south');
    await page.getByRole('button', { name: 'Save fields' }).click();
    await page.getByText('Saved.').waitFor();
    await expect(page.locator('#field-age-error').count()).resolves.toBe(0);
    await page.reload();
    await expect(
      page
        .getByLabel(/^Home district/)
        .locator('option:checked')
        .textContent(),
    ).resolves.toBe('South');

    await page.getByLabel('New label').fill('called');
    await page.getByRole('form', { name: 'Add a label' }).getByRole('button', { name: 'Add label' }).click();
    await page.getByRole('list', { name: 'Labels' }).getByText('called').waitFor();

    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('labels', { exact: false }).first().waitFor();
    const titles = await timeline.locator('li strong').allTextContents();
    expect(titles.slice(0, 2)).toEqual(['Profile changed by user:1', 'Profile changed by user:1']);
    await shot('person', true);

    await page.getByRole('button', { name: 'Block', exact: true }).click();
    await page
      .getByRole('dialog', { name: 'Block this person?' })
      .getByRole('button', { name: 'Block' })
      .click();
    await page.getByRole('button', { name: 'Unblock' }).waitFor();
    await expect(page.locator('.person-status .badge').textContent()).resolves.toBe('Blocked');
    await expect(
      db.selectFrom('contacts').select('blocked').where('id', '=', id).executeTakeFirstOrThrow(),
    ).resolves.toEqual({ blocked: true });
    await page.getByRole('button', { name: 'Unblock' }).click();
    await page.getByRole('button', { name: 'Block', exact: true }).waitFor();

    const stored = await db
      .selectFrom('contacts')
      .select(['labels', 'fields'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ labels: ['called'], fields: { age: 20, district: 'south', clinic: 'Soweto' } });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows a viewer masked phones and names, and no way to change anything', async () => {
    const viewer = await insertUser(db, {
      email: 'viewer@example.org',
      name: 'Vera Viewer',
      passwordHash: 'not used: signed in by a session made here',
      role: 'viewer',
    });
    const session = await createSession(db, viewer.id);
    // Meta reports Lerato's BSUID and username (a webhook sighting, through the one resolver).
    const { channel } = await db
      .selectFrom('contacts')
      .select('channel')
      .where('wa_id', '=', '27821234569')
      .executeTakeFirstOrThrow();
    await db.transaction().execute((tx) =>
      resolvePerson(tx, {
        channel,
        source: 'whatsapp',
        by: 'whatsapp',
        sighting: {
          phone: '27821234569',
          bsuid: 'ZA.1000000000000069',
          username: 'lerato',
          seenAt: new Date(),
        },
      }),
    );
    // A second browser with the viewer's session cookie (a persistent context is one profile).
    const second = await launchChromium();
    await second.context.addCookies([{ name: SESSION_COOKIE, value: session.token, url: base }]);
    const view = await second.context.newPage();
    view.setDefaultTimeout(10_000);
    try {
      await view.goto(`${base}/people`);
      await view.getByText('3 people').waitFor();
      const list = view.getByRole('region', { name: 'People list' });
      const rows = await list
        .locator('tbody tr:not(.spacer)')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)),
        );
      expect(rows).toEqual([
        ['T*** M***', '+27 *******67', ''],
        ['S*** D***', '+27 *******68', ''],
        ['L*** K***', '+27 *******69', 'ZA.**************69 @l***'],
      ]);
      await expect(list.getByRole('checkbox').count()).resolves.toBe(0);
      await expect(view.getByRole('link', { name: 'Import CSV' }).count()).resolves.toBe(0);
      await list.getByRole('link', { name: 'L*** K***' }).click();
      await view.getByRole('heading', { name: 'Custom fields' }).waitFor();
      await expect(view.getByLabel(/^Age/).isDisabled()).resolves.toBe(true);
      await expect(view.getByRole('button', { name: /Save|Block|Add label|Reveal/ }).count()).resolves.toBe(
        0,
      );
      await view.getByRole('list', { name: 'Timeline' }).getByText('labels: — → called').waitFor();
    } finally {
      await second.close();
    }
  }, 60_000);

  it('scrolls 600 more people with only the rows in view in the page, loading pages as it goes', async () => {
    // State rows straight in the table: this is about the list, not about how people arrive.
    await sql`insert into contacts (channel, wa_id, name, created_at, updated_at)
      select 'simulator', '2782000' || lpad(g::text, 4, '0'), 'Bulk ' || lpad(g::text, 4, '0'), now(), now()
      from generate_series(1, 600) g`.execute(db);
    await page.goto(`${base}/people`);
    await page.getByText('603 people').waitFor();
    const list = page.getByRole('region', { name: 'People list' });
    const last = list.getByRole('link', { name: 'Bulk 0600' });
    while (!(await last.isVisible())) {
      // To the end of what is loaded: nearing it asks for the next page, which grows the list.
      await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    }
    const rendered = await list.locator('tbody tr:not(.spacer)').count();
    expect(rendered).toBeLessThan(60);
    await expect(list.locator('tbody tr:not(.spacer)').last().getAttribute('aria-rowindex')).resolves.toBe(
      '604',
    );
    expect(pageErrors).toEqual([]);
  });

  it('erases a person from their page: the badge shows, and their phone and name are gone from Postgres', async () => {
    const { id } = await db
      .selectFrom('contacts')
      .select('id')
      .where('wa_id', '=', '27821234569')
      .executeTakeFirstOrThrow();
    await page.goto(`${base}/people/${id}`);
    await page.getByRole('button', { name: 'Erase this person…' }).click();
    await page.getByLabel(/^Reason/).fill('DSR-42');
    await page.getByRole('button', { name: 'Erase now' }).click();
    await page
      .getByRole('dialog', { name: 'Erase this person?' })
      .getByRole('button', { name: 'Erase' })
      .click();
    await page.locator('.person-status .badge', { hasText: 'Erased' }).waitFor();
    await expect(page.getByRole('button', { name: 'Erase this person…' }).count()).resolves.toBe(0);
    const stored = await db
      .selectFrom('contacts')
      .select(['wa_id', 'name', 'labels', 'fields'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ wa_id: `erased:${id}`, name: null, labels: [], fields: {} });
    expect(pageErrors).toEqual([]);
  });
});
