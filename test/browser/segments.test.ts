import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import { populationEvents, segmentPopulation } from '../../engine/segments/testing/segment-population.js';
import { openPage, signInAsAdmin } from './browser-page.js';
import { type Chromium, launchChromium } from './chromium.js';
import { startDashboardPlatform } from './start-dashboard-platform.js';

// Segments in Debian's chromium against the real platform: build a segment with the builder,
// see the live count the warehouse gives, switch to SQL, save it and see its count history.

const shots = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const started = await startDashboardPlatform();
const base = started.platform.url;
const people = segmentPopulation(1, 60);
let browser: Chromium;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  const { db } = started.platform.database;
  await db
    .insertInto('custom_fields')
    .values([
      {
        key: 'district',
        name: 'District',
        type: 'choice',
        options: JSON.stringify([
          { key: 'north', label: 'North' },
          { key: 'east', label: 'East' },
          { key: 'south', label: 'South' },
        ]),
      },
      { key: 'age', name: 'Age', type: 'number' },
    ])
    .execute();
  await db.transaction().execute((tx) => append(tx, populationEvents(people)));
  await started.platform.mirror.drain();
  browser = await launchChromium({ width: 1280, height: 1000 });
  page = await openPage(browser, { timeoutMs: 15_000, errors: pageErrors });
});

afterAll(async () => {
  await browser?.close();
  await started.stop();
});

const count = () => page.getByTestId('segment-count');
const waitForCount = async (expected: number) => {
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="segment-count"]')?.textContent === n,
    expected.toLocaleString(),
  );
  return count().textContent();
};

describe('segments in chromium', () => {
  it('builds a segment with the builder and sees the right live count and SQL', async () => {
    await signInAsAdmin(page, base);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('heading', { name: 'Segments' }).waitFor();
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name').fill('North adults');
    // Everyone first (an empty AND group), then narrow it down.
    await expect(waitForCount(people.length)).resolves.toBe('60');

    // A new condition is not sent until it is filled in: a hint, no red error.
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Condition', { exact: true }).selectOption('label');
    await page.getByTestId('segment-incomplete').waitFor();
    await expect(page.getByTestId('segment-incomplete').textContent()).resolves.toBe(
      'Finish the conditions to see who matches.',
    );
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await page.getByLabel('Condition', { exact: true }).selectOption('field');
    await page.getByLabel('Field', { exact: true }).selectOption('district');
    // A choice field's value is one of its options, chosen by its label.
    await page.getByLabel('Value').selectOption({ label: 'North' });
    const north = people.filter((p) => p.district === 'north');
    await waitForCount(north.length);

    await page.getByRole('button', { name: 'Add condition' }).click();
    const second = page.locator('.condition').nth(1);
    await second.getByLabel('Field', { exact: true }).selectOption('age');
    await second.getByLabel('Operator').selectOption('gt');
    await second.getByLabel('Value').fill('40');
    const expected = north.filter((p) => p.age > 40).length;
    await waitForCount(expected);
    await expect(page.getByTestId('segment-sql').textContent()).resolves.toBe(
      "SELECT c.contact_id\nFROM contacts c\nWHERE (c.custom_fields->>'district') = 'north'\n  AND TRY_CAST(c.custom_fields->>'age' AS DOUBLE) > 40",
    );
    await expect(page.getByRole('region', { name: 'Preview' }).getByRole('row').count()).resolves.toBe(
      expected + 1,
    );
    await page.screenshot({ path: join(shots, 'segment-editor.png'), fullPage: true });
  });

  it('saves it, lists it with its count and shows the count history', async () => {
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('heading', { name: 'Count history' }).waitFor();
    const expected = people.filter((p) => p.district === 'north' && p.age > 40).length;
    await page.getByRole('button', { name: 'Count now' }).click();
    await page.waitForFunction(() => document.querySelectorAll('caption + thead + tbody tr').length >= 1);
    await page
      .getByRole('navigation', { name: 'Breadcrumbs' })
      .getByRole('link', { name: 'Segments' })
      .click();
    const row = page.getByRole('row', { name: /North adults/ });
    await row.waitFor();
    await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe(String(expected));
    await page.screenshot({ path: join(shots, 'segments.png') });
    expect(pageErrors).toEqual([]);
  });

  it('switches to SQL (one way, after a warning) and reports an error with its line', async () => {
    await page.getByRole('link', { name: 'North adults' }).click();
    await page.getByRole('heading', { name: 'Count history' }).waitFor();
    await page.getByRole('button', { name: 'Switch to SQL' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Switch to SQL' }).click();
    const editor = page.getByLabel('SQL (one SELECT returning contact_id)');
    await editor.fill('SELECT contact_id\nFROM contacts\nWHERE agee > 3');
    await page.getByRole('alert').filter({ hasText: 'agee' }).waitFor();
    await expect(page.getByRole('alert').filter({ hasText: 'agee' }).textContent()).resolves.toMatch(
      /Referenced column "agee" not found.*\(line 3, column 7\)$/,
    );
    // The count of the definition before the error is gone: it would not be this one's.
    await expect(count().count()).resolves.toBe(0);
    await editor.fill('SELECT contact_id FROM contacts WHERE blocked');
    await waitForCount(people.filter((p) => p.blocked).length);
  });

  it('nests an OR group inside the AND, and types a value key by key without losing focus', async () => {
    await page
      .getByRole('navigation', { name: 'Breadcrumbs' })
      .getByRole('link', { name: 'Segments' })
      .click();
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name').fill('Older north or east');
    await waitForCount(people.length);
    await page.getByRole('button', { name: 'Add condition' }).click();
    const age = page.locator('.condition').first();
    await age.getByLabel('Field', { exact: true }).selectOption('age');
    await age.getByLabel('Operator').selectOption('gt');
    // Typed key by key: each key re-renders the builder, and the input must keep the focus.
    await age.getByLabel('Value').click();
    await page.keyboard.type('30');
    await waitForCount(people.filter((p) => p.age > 30).length);

    await page.getByRole('button', { name: 'Add group' }).click();
    const group = page.getByRole('group', { name: 'Group 2' });
    await group.getByLabel('Field', { exact: true }).selectOption('district');
    await group.getByLabel('Value').selectOption('north');
    await group.getByRole('button', { name: 'Add condition' }).click();
    const east = group.locator('.condition').nth(1);
    await east.getByLabel('Field', { exact: true }).selectOption('district');
    await east.getByLabel('Value').selectOption('east');
    const expected = people.filter((p) => p.age > 30 && (p.district === 'north' || p.district === 'east'));
    await waitForCount(expected.length);
    await expect(page.getByTestId('segment-sql').textContent()).resolves.toBe(
      "SELECT c.contact_id\nFROM contacts c\nWHERE TRY_CAST(c.custom_fields->>'age' AS DOUBLE) > 30\n  AND (\n    (c.custom_fields->>'district') = 'north'\n    OR (c.custom_fields->>'district') = 'east'\n  )",
    );
    await page.screenshot({ path: join(shots, 'segment-nested-group.png'), fullPage: true });

    // NOT on the group: the older people of the other districts.
    await page.locator('.builder-row').nth(1).getByLabel('NOT', { exact: true }).first().check();
    await waitForCount(people.filter((p) => p.age > 30 && p.district === 'south').length);
    expect(pageErrors).toEqual([]);
  });

  it('shows names and numbers in the preview only after an admin reveals them', async () => {
    await page.goto(`${base}/segments/new`);
    await waitForCount(people.length);
    const firstName = page
      .getByRole('table')
      .getByRole('cell', { name: /^P\*\*\* / })
      .first();
    await firstName.waitFor();
    await page.getByLabel('Show names and numbers (the reveal is logged)').check();
    await page
      .getByRole('table')
      .getByRole('cell', { name: `Person ${people[0]!.id}`, exact: true })
      .waitFor();
    const reveals = await started.platform.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('type', '=', 'operator.action')
      .where(sql`payload->>'action'`, '=', 'pii.reveal')
      .executeTakeFirstOrThrow();
    expect(Number(reveals.n)).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });
});
