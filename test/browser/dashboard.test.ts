import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, launchChromium } from './chromium.js';
import { adminEmail, adminPassword, startDashboardPlatform } from './start-dashboard-platform.js';

// The dashboard in Debian's chromium against the real platform (startPlatform): sign in,
// invite a member who accepts, create and revoke a token, add a webhook, chat in the
// simulator and see replies arrive live, with a screenshot of each page.

const shots = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const started = await startDashboardPlatform();
const base = started.platform.url;
let browser: Chromium;
let page: Page;
const pageErrors: string[] = [];

// A local receiver for the webhook (PARLEY_ALLOW_LOCAL_WEBHOOKS=true in this test's config).
const received: string[] = [];
const receiver: Server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push(body);
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await started.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

const shot = (name: string, fullPage = false) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage });

describe('the dashboard in chromium', () => {
  it('sends a signed-out visitor to the login page and signs the admin in', async () => {
    await page.goto(`${base}/settings/tokens`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Email').fill(adminEmail);
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('wrong email or password');
    await shot('login');
    await page.getByLabel('Password').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Simulator' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/conversations/simulator');
    const main = page.getByRole('navigation', { name: 'Main' });
    await expect(main.getByRole('heading').allTextContents()).resolves.toEqual([
      'Conversations',
      'Audience',
      'Automation',
      'Settings',
    ]);
    await expect(main.getByRole('link').allTextContents()).resolves.toEqual([
      'Simulator',
      'People',
      'Segments',
      'Templates',
      'Reminders',
      'Members',
      'API tokens',
      'Webhooks',
      'Channels',
      'Custom fields',
      'Billing',
    ]);
  });

  it('invites two members in a row: the second keeps the chosen role, never a reset to admin', async () => {
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('cell', { name: adminEmail }).waitFor();
    const invite = page.getByRole('form', { name: 'Invite a member' });
    // Before anyone chooses, the form offers the least privileged role.
    await expect(invite.getByLabel('Role').inputValue()).resolves.toBe('viewer');
    await invite.getByLabel('Email').fill('first@example.org');
    await invite.getByLabel('Role').selectOption('analyst');
    await invite.getByRole('button', { name: 'Invite' }).click();
    await page.getByRole('cell', { name: 'first@example.org' }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: 'Invite created for first@example.org as analyst' })
      .waitFor();
    await expect(invite.getByLabel('Role').inputValue()).resolves.toBe('analyst');
    await expect(invite.getByLabel('Email').inputValue()).resolves.toBe('');
    await invite.getByLabel('Email').fill('second@example.org');
    await invite.getByRole('button', { name: 'Invite' }).click();
    await page.getByRole('cell', { name: 'second@example.org' }).waitFor();
    const invites = await started.platform.database.db
      .selectFrom('invites')
      .select(['email', 'role'])
      .where('revoked_at', 'is', null)
      .orderBy('id')
      .execute();
    expect(invites).toEqual([
      { email: 'first@example.org', role: 'analyst' },
      { email: 'second@example.org', role: 'analyst' },
    ]);
    for (const email of ['first@example.org', 'second@example.org']) {
      await page
        .getByRole('row', { name: new RegExp(email) })
        .getByRole('button', { name: 'Revoke invite' })
        .click();
      await page.getByRole('cell', { name: email }).waitFor({ state: 'detached' });
    }
  });

  it('invites a member, who accepts the link in another browser at phone width', async () => {
    const invite = page.getByRole('form', { name: 'Invite a member' });
    await invite.getByLabel('Email').fill('operator@example.org');
    await invite.getByLabel('Role').selectOption('operator');
    await invite.getByRole('button', { name: 'Invite' }).click();
    // The link shown is the new one once the invite is listed (the last one's shows until then).
    await page.getByRole('cell', { name: 'operator@example.org' }).waitFor();
    const link = await page.getByLabel('Invite link').inputValue();
    expect(link).toMatch(new RegExp(`^${base}/invite#token=pri_[A-Za-z0-9_-]+$`));
    await shot('members');

    const phone = await launchChromium({ width: 390, height: 844 });
    try {
      const other = await phone.context.newPage();
      other.setDefaultTimeout(10_000);
      await other.goto(link);
      await other.getByText('You are invited as operator.').waitFor();
      await other.screenshot({ path: join(shots, 'invite-phone.png') });
      await other.getByLabel('Your name').fill('Olu Operator');
      await other.getByLabel('Password').fill('operator password 1');
      await other.getByRole('button', { name: 'Create my account' }).click();
      await other.getByRole('heading', { name: 'Simulator' }).waitFor();
      await other.getByText('No messages yet. Say hello below.').waitFor();
      await other.screenshot({ path: join(shots, 'simulator-phone.png') });
      // At phone width the navigation is a drawer behind one Menu button, not rows of links.
      const nav = other.getByRole('navigation', { name: 'Main' });
      await expect(nav.isVisible()).resolves.toBe(false);
      await other.getByRole('button', { name: 'Menu' }).click();
      await expect(nav.getByRole('link').allTextContents()).resolves.toEqual([
        'Simulator',
        'People',
        'Segments',
        'Templates',
        'Reminders',
        'Channels',
      ]);
      await other.screenshot({ path: join(shots, 'navigation-phone.png') });
      await nav.getByRole('link', { name: 'People' }).click();
      await other.getByRole('heading', { name: 'People', exact: true }).waitFor();
      await expect(nav.isVisible()).resolves.toBe(false);
      const topbar = await other.locator('.topbar').boundingBox();
      // One row: 3.25rem at the 15 px root size.
      expect(topbar?.height).toBe(48.75);
    } finally {
      await phone.close();
    }
    await page.reload();
    await page.getByRole('cell', { name: 'Olu Operator' }).waitFor();
    await expect(page.getByText('No pending invites.').isVisible()).resolves.toBe(true);
    // On a phone the members table is a card per member: every column is there, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBe(390);
    const olu = page.getByRole('row', { name: /Olu Operator/ });
    await expect(
      olu.getByRole('cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-label'))),
    ).resolves.toEqual(['Name', 'Email', 'Role', 'Status', 'Actions']);
    await expect(olu.getByRole('cell', { name: 'operator@example.org' }).isVisible()).resolves.toBe(true);
    await shot('members-phone', true);
    await page.setViewportSize({ width: 1280, height: 800 });
    const users = await started.platform.database.db
      .selectFrom('users')
      .select(['email', 'name', 'role'])
      .orderBy('id')
      .execute();
    expect(users).toEqual([
      { email: adminEmail, name: expect.any(String), role: 'admin' },
      { email: 'operator@example.org', name: 'Olu Operator', role: 'operator' },
    ]);
  }, 60_000);

  it('creates a token whose secret is shown once and copied, then revokes it', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByText('No API tokens yet.').waitFor();
    const form = page.getByRole('form', { name: 'Create a token' });
    await form.getByLabel('Name').fill('CRM export');
    // No scope: the reason shows once, next to the scopes.
    await form.getByRole('button', { name: 'Create token' }).click();
    await form.locator('fieldset .field-error').waitFor();
    await expect(form.locator('fieldset .field-error').allTextContents()).resolves.toEqual([
      'give at least one scope',
    ]);
    await expect(page.getByText('give at least one scope').count()).resolves.toBe(1);
    await form.getByLabel('contacts.read').check();
    await form.getByLabel('messages.send').check();
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.getByLabel('New token').inputValue();
    await page.getByRole('status').filter({ hasText: 'Token CRM export created' }).waitFor();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await page
      .getByRole('status')
      .filter({ has: page.getByLabel('New token') })
      .getByRole('button', { name: 'Copy' })
      .click();
    await page.getByRole('status').filter({ hasText: 'New token copied' }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(secret);
    const row = page.getByRole('row', { name: /CRM export/ });
    await row.waitFor();
    await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe(`${secret.slice(0, 10)}…`);
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('messages.send, contacts.read');
    await shot('tokens');

    await row.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the token "CRM export"?' });
    await expect(dialog.getByText('Integrations using it stop working now.').isVisible()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await row.getByText(/^Revoked /).waitFor();
    const stored = await started.platform.database.db
      .selectFrom('api_tokens')
      .select(['name', 'scopes', 'revoked_at'])
      .execute();
    expect(stored).toEqual([
      { name: 'CRM export', scopes: ['messages.send', 'contacts.read'], revoked_at: expect.any(Date) },
    ]);
    // The REST API refuses the revoked token.
    const res = await fetch(`${base}/v1/channels`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(401);
  });

  it('adds a webhook for received messages', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByText('No webhooks yet.').waitFor();
    const form = page.getByRole('form', { name: 'Add a webhook' });
    await form.getByLabel('URL').fill(receiverUrl);
    await form.getByLabel('Description').fill('Local receiver');
    await form.getByLabel('message.received', { exact: true }).check();
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('heading', { name: receiverUrl }).waitFor();
    expect(await page.getByLabel('Signing secret').inputValue()).toMatch(/^whsec_/);
    await page.getByRole('status').filter({ hasText: 'Webhook added' }).waitFor();
  });

  it('chats in the simulator: the reply, its buttons and list, and the ticks arrive live', async () => {
    await page.getByRole('link', { name: 'Simulator' }).click();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    // Keyboard only: Enter sends, and the reply buttons take focus and Enter.
    await page.getByLabel('Message', { exact: true }).fill('Hello from chromium');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    const reply = page.locator('.msg.theirs').filter({ hasText: 'Got it: Hello from chromium' });
    await reply.waitFor();
    await page.locator('.msg.theirs[data-status="read"]').first().waitFor();
    await expect(reply.getByLabel('read').textContent()).resolves.toBe('✓✓');
    await reply.getByRole('button', { name: 'Menu' }).focus();
    await page.keyboard.press('Enter');
    const list = page.locator('.msg.theirs').filter({ hasText: 'What would you like to try?' });
    await list.getByRole('button', { name: '☰ Menu' }).click();
    await list.getByRole('button', { name: /About Parley/ }).click();
    await page.locator('.msg.theirs').filter({ hasText: 'Parley runs chat services on WhatsApp' }).waitFor();
    const texts = await page.locator('.msg .msg-text').allTextContents();
    expect(texts).toEqual([
      'Hello from chromium',
      'Got it: Hello from chromium',
      'Menu',
      'What would you like to try?',
      'About Parley',
      'Parley runs chat services on WhatsApp: journeys, reminders, an inbox, and every event in SQL.',
    ]);
    await shot('simulator');

    await page.getByRole('button', { name: 'Reset contact' }).click();
    await page.getByText('No messages yet. Say hello below.').waitFor();
    // The tab has its own address: a reload stays in the dashboard, with the same test contact.
    await page.reload();
    await page.getByRole('heading', { name: 'Simulator' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/conversations/simulator');
    await expect(page.getByLabel('Test number').inputValue()).resolves.toBe('15550001234');
  }, 60_000);

  it('shows the webhook delivery log', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'Deliveries' }).click();
    // The log does not update live: refresh until the worker has delivered all three events.
    const deadline = Date.now() + 20_000;
    while ((await page.locator('.deliveries .badge', { hasText: 'succeeded' }).count()) < 3) {
      if (Date.now() > deadline) throw new Error('three deliveries did not succeed within 20 s');
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForLoadState('networkidle').catch(() => {});
    }
    const states = await page.locator('.deliveries tbody tr .badge').allTextContents();
    expect(states).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(received.map((body) => JSON.parse(body).type)).toEqual([
      'message.received',
      'message.received',
      'message.received',
    ]);
    await shot('webhooks', true);
  });

  it('replays a delivery from the log', async () => {
    const newest = page.locator('.deliveries tbody tr').first();
    const eventId = (await newest.locator('.hint').first().textContent())!.slice(1);
    await newest.getByRole('button', { name: 'Replay' }).click();
    const deadline = Date.now() + 20_000;
    while ((await newest.locator('summary').textContent()) !== '2') {
      if (Date.now() > deadline) throw new Error('the replay was not attempted within 20 s');
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForLoadState('networkidle').catch(() => {});
    }
    await newest.locator('summary').click();
    await expect(newest.locator('.attempts li').nth(1).textContent()).resolves.toMatch(
      /: 204, \d+ ms \(replay\)$/,
    );
    expect(received.length).toBe(4);
    expect(String(JSON.parse(received[3]!).id)).toBe(eventId);
  });

  it('shows the failing alert after five failed attempts to a closed port', async () => {
    const closedUrl = 'http://127.0.0.1:1/closed';
    const form = page.getByRole('form', { name: 'Add a webhook' });
    await form.getByLabel('URL').fill(closedUrl);
    await form.getByLabel('simulator.reset', { exact: true }).check();
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('heading', { name: closedUrl }).waitFor();
    await page.getByRole('link', { name: 'Simulator' }).click();
    await page.getByRole('button', { name: 'Reset contact' }).click();
    await page.getByRole('link', { name: 'Webhooks' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: closedUrl }) });
    await card.getByRole('button', { name: 'Deliveries' }).click();
    const row = card.locator('.deliveries tbody tr').first();
    // The first attempt fails at once; each replay is attempted at once and fails again.
    const deadline = Date.now() + 30_000;
    for (let attempts = 1; attempts <= 5; attempts++) {
      while (
        (await row
          .locator('summary')
          .textContent()
          .catch(() => null)) !== String(attempts)
      ) {
        if (Date.now() > deadline) throw new Error(`attempt ${attempts} did not happen within 30 s`);
        await card.getByRole('button', { name: 'Refresh' }).click();
        await page.waitForLoadState('networkidle').catch(() => {});
      }
      if (attempts < 5) await row.getByRole('button', { name: 'Replay' }).click();
    }
    await page.reload();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      `Failing: ${closedUrl}. Parley retries with backoff; check the delivery log.`,
    );
    await expect(card.locator('.badge').first().textContent()).resolves.toMatch(/^Failing since /);
    await shot('webhooks-failing');
  }, 60_000);

  it('lists the channels', async () => {
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('heading', { name: /^Simulator/ }).waitFor();
    const badges = await page.locator('.cards .badge').allTextContents();
    expect(badges).toEqual(['Not configured', 'Running']);
    await shot('channels');
  });

  it('reloads every dashboard page and stays on it, in the dashboard', async () => {
    const pages: [string, string][] = [
      ['/conversations/simulator', 'Simulator'],
      ['/people', 'People'],
      ['/people/import', 'Import people from CSV'],
      ['/segments', 'Segments'],
      ['/segments/new', 'New segment'],
      ['/settings/members', 'Members'],
      ['/settings/tokens', 'API tokens'],
      ['/settings/webhooks', 'Webhooks'],
      ['/settings/channels', 'Channels'],
      ['/settings/fields', 'Custom fields'],
    ];
    for (const [path, title] of pages) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
      expect([path, new URL(page.url()).pathname, await page.title()]).toEqual([
        path,
        path,
        `${title} · Parley`,
      ]);
      await expect(page.getByRole('navigation', { name: 'Main' }).isVisible()).resolves.toBe(true);
    }
    // The old shared address sends a member to the dashboard's simulator…
    await page.goto(`${base}/simulator`);
    await page.waitForURL(`${base}/conversations/simulator`);
  }, 120_000);

  it('shows the not-found page for an unknown URL, answered with 404', async () => {
    const res = await page.goto(`${base}/no/such/page`);
    expect(res?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Simulator' }).count()).resolves.toBe(0);
    await shot('not-found');
    await page.goto(`${base}/settings/nothing-here`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to the dashboard' }).click();
    await page.getByRole('heading', { name: 'Simulator' }).waitFor();
  });

  it('lays out the API reference within a phone width', async () => {
    const phone = await launchChromium({ width: 390, height: 844 });
    try {
      const reference = await phone.context.newPage();
      await reference.goto(`${base}/docs/api`);
      await reference.getByRole('heading', { level: 1 }).first().waitFor();
      await expect(reference.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(390);
    } finally {
      await phone.close();
    }
  });

  it('signs out, with no script error on any page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto(`${base}/settings/members`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    // …and a visitor to the no-login simulator page.
    await page.goto(`${base}/simulator`);
    await page.waitForURL(`${base}/simulator/public`);
    await expect(page.title()).resolves.toBe('Parley simulator');
    expect(pageErrors).toEqual([]);
  });
});

describe('first-run setup in chromium', () => {
  // A second whole platform starts and stops inside this test: on two loaded cores that alone
  // can take tens of seconds, hence the longer budget (a hang still fails it, and names its part).
  it('creates the first admin from the setup link that the platform logs', async () => {
    const fresh = await startDashboardPlatform({ build: false, admin: false });
    try {
      const line = fresh.logs.find((l) => l.startsWith('No users yet: create the first admin at '));
      const path = /(\/setup#token=\S+)$/.exec(line ?? '')?.[1];
      expect(path).toMatch(/^\/setup#token=prs_[A-Za-z0-9_-]+$/);
      const setup = await browser.context.newPage();
      setup.setDefaultTimeout(10_000);
      await setup.goto(`${fresh.platform.url}${path}`);
      await setup.getByText('Create the first administrator account.').waitFor();
      await setup.getByLabel('Your name').fill('Ada Admin');
      await setup.getByLabel('Email').fill('ada@example.org');
      await setup.getByLabel('Password').fill('first admin password');
      await setup.screenshot({ path: join(shots, 'setup.png') });
      await setup.getByRole('button', { name: 'Create admin account' }).click();
      await setup.getByRole('heading', { name: 'Simulator' }).waitFor();
      await expect(setup.locator('.who span').textContent()).resolves.toBe('Ada Admin · admin');
      await setup.close();
    } finally {
      await fresh.stop();
    }
  }, 120_000);
});
