import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import {
  numberChanged,
  status,
  textMessage,
  userIdChanged,
  userIdUpdate,
  userPreference,
} from '../../test/fixtures/whatsapp/identity-payloads.js';
import { postSigned, testChannel, webhookApp } from '../../test/fixtures/whatsapp/webhook-app.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import type { Channel } from '../channels.js';

// Transcripts through the real webhook route: each case has its own channel, so that it ends
// with the exact people of that channel and the messages of each.
const database = await createTestDatabase();
const { db } = database;
const names = [
  'phone',
  'both',
  'username',
  'shares',
  'takes',
  'merge',
  'renumber',
  'userid',
  'parent',
  'prefs',
];
const channels = Object.fromEntries(
  names.map((name) => [
    name,
    testChannel({ name, webhookPath: `/webhooks/${name}`, appSecret: `secret-${name}` }),
  ]),
) as Record<string, Channel>;
const app = await webhookApp(database, Object.values(channels));
afterAll(async () => {
  await app.close();
});

const T = 1_780_000_000;
async function post(channel: string, body: string) {
  const response = await postSigned(app, channels[channel]!, body);
  expect(response.statusCode).toBe(200);
  return response.json() as { messages: number; statuses: number; updates: number; duplicates: number };
}

/** The channel's people (merged ones left out), each with the wamids of their messages. */
async function people(channel: string) {
  const { rows } = await sql<{
    wa_id: string | null;
    bsuid: string | null;
    parent_bsuid: string | null;
    username: string | null;
    messages: string[];
  }>`
    select c.wa_id, c.bsuid, c.parent_bsuid, c.username,
      coalesce(array_agg(m.external_id order by m.id) filter (where m.id is not null), '{}') as messages
    from contacts c left join messages m on m.contact_id = c.id
    where c.channel = ${channel} and c.merged_into is null
    group by c.id order by c.id`.execute(db);
  return rows;
}

async function contactEvents(channel: string) {
  const rows = await db
    .selectFrom('events')
    .select(['type', 'payload', 'contact_id'])
    .where('channel', '=', channel)
    .where('type', 'like', 'contact.%')
    .orderBy('id')
    .execute();
  return rows.map((r) => [r.type, r.payload]);
}

const person = (p: Partial<Awaited<ReturnType<typeof people>>[number]>) => ({
  wa_id: null,
  bsuid: null,
  parent_bsuid: null,
  username: null,
  messages: [],
  ...p,
});

describe('identities through the webhook route', () => {
  it('phone only: one person by number, no BSUID', async () => {
    await post('phone', textMessage('wamid.p1', T, { phone: '254700000001' }));
    await post('phone', textMessage('wamid.p2', T + 1, { phone: '254700000001' }));
    expect(await people('phone')).toEqual([
      person({ wa_id: '254700000001', messages: ['wamid.p1', 'wamid.p2'] }),
    ]);
  });

  it('phone + BSUID: both stored on one person, created once', async () => {
    const who = { phone: '254700000002', bsuid: 'KE.1000000000000002' };
    await post('both', textMessage('wamid.b1', T, who));
    expect(await post('both', textMessage('wamid.b1', T, who))).toMatchObject({ messages: 0, duplicates: 1 });
    await post('both', textMessage('wamid.b2', T + 1, who));
    expect(await people('both')).toEqual([
      person({ wa_id: '254700000002', bsuid: 'KE.1000000000000002', messages: ['wamid.b1', 'wamid.b2'] }),
    ]);
    expect(await contactEvents('both')).toEqual([
      [
        'contact.created',
        { wa_id: '254700000002', bsuid: 'KE.1000000000000002', name: 'Wanjiru', channel: 'both' },
      ],
    ]);
  });

  it('username only: no phone number, the BSUID identifies; a failed status without contacts is theirs', async () => {
    const who = { bsuid: 'KE.7730591826604417', username: 'wanjiru.k' };
    await post('username', textMessage('wamid.u1', T, who));
    const [row] = await db
      .selectFrom('contacts')
      .select(['id', 'wa_id'])
      .where('channel', '=', 'username')
      .execute();
    expect(row!.wa_id).toBeNull();
    const received = await db
      .selectFrom('events')
      .select('payload')
      .where('idempotency_key', '=', 'msg:wamid.u1')
      .executeTakeFirstOrThrow();
    expect(received.payload).toMatchObject({ user_id: 'KE.7730591826604417', username: 'wanjiru.k' });
    expect(received.payload).not.toHaveProperty('wa_id');

    expect(
      await post('username', status('wamid.unknown-out', T + 5, 'failed', { bsuid: 'KE.7730591826604417' })),
    ).toMatchObject({
      statuses: 1,
    });
    const failed = await db
      .selectFrom('events')
      .select(['contact_id', 'payload'])
      .where('idempotency_key', '=', 'status:wamid.unknown-out:failed')
      .executeTakeFirstOrThrow();
    expect(failed.contact_id).toBe(row!.id);
    expect(failed.payload).toMatchObject({ recipient_user_id: 'KE.7730591826604417', status: 'failed' });
    expect(await people('username')).toEqual([
      person({ bsuid: 'KE.7730591826604417', username: 'wanjiru.k', messages: ['wamid.u1'] }),
    ]);
  });

  it('a username person who later shares their number: the number is added to them', async () => {
    await post('shares', textMessage('wamid.s1', T, { bsuid: 'KE.1000000000000004', username: 'amina' }));
    await post(
      'shares',
      textMessage('wamid.s2', T + 60, {
        bsuid: 'KE.1000000000000004',
        phone: '254700000004',
        username: 'amina',
      }),
    );
    expect(await people('shares')).toEqual([
      person({
        wa_id: '254700000004',
        bsuid: 'KE.1000000000000004',
        username: 'amina',
        messages: ['wamid.s1', 'wamid.s2'],
      }),
    ]);
    expect((await contactEvents('shares')).map(([type]) => type)).toEqual([
      'contact.created',
      'contact.identity_added',
    ]);
    expect((await contactEvents('shares'))[1]![1]).toEqual({
      kind: 'phone',
      value: '254700000004',
      by: 'whatsapp',
    });
  });

  it('a person with a number who later takes a username: found by the BSUID Meta linked to the number', async () => {
    await post('takes', textMessage('wamid.t1', T, { phone: '254700000005' }));
    await post(
      'takes',
      textMessage('wamid.t2', T + 60, { phone: '254700000005', bsuid: 'KE.1000000000000005' }),
    );
    await post(
      'takes',
      textMessage('wamid.t3', T + 120, { bsuid: 'KE.1000000000000005', username: 'otieno' }),
    );
    expect(await people('takes')).toEqual([
      person({
        wa_id: '254700000005',
        bsuid: 'KE.1000000000000005',
        username: 'otieno',
        messages: ['wamid.t1', 'wamid.t2', 'wamid.t3'],
      }),
    ]);
    expect((await contactEvents('takes')).slice(1)).toEqual([
      ['contact.identity_added', { kind: 'bsuid', value: 'KE.1000000000000005', by: 'whatsapp' }],
      ['contact.identity_added', { kind: 'username', value: 'otieno', by: 'whatsapp' }],
    ]);
  });

  it('two people found to be one: the older survives with every message, logged as contact.merged', async () => {
    await post('merge', textMessage('wamid.g1', T, { phone: '254700000006', name: 'Baraka' }));
    await post(
      'merge',
      textMessage('wamid.g2', T + 60, { bsuid: 'KE.1000000000000006', username: 'baraka', name: 'Baraka' }),
    );
    expect(await people('merge')).toHaveLength(2);
    const [older, newer] = await db
      .selectFrom('contacts')
      .select('id')
      .where('channel', '=', 'merge')
      .orderBy('id')
      .execute();
    await post(
      'merge',
      textMessage('wamid.g3', T + 120, {
        phone: '254700000006',
        bsuid: 'KE.1000000000000006',
        username: 'baraka',
        name: 'Baraka',
      }),
    );
    expect(await people('merge')).toEqual([
      person({
        wa_id: '254700000006',
        bsuid: 'KE.1000000000000006',
        username: 'baraka',
        messages: ['wamid.g1', 'wamid.g2', 'wamid.g3'],
      }),
    ]);
    const merged = await db
      .selectFrom('contacts')
      .select(['merged_into', 'wa_id', 'bsuid'])
      .where('id', '=', newer!.id)
      .executeTakeFirstOrThrow();
    expect(merged).toEqual({ merged_into: older!.id, wa_id: null, bsuid: null });
    expect((await contactEvents('merge')).slice(2)).toEqual([
      ['contact.merged', { surviving_contact_id: older!.id, merged_contact_id: newer!.id, by: 'whatsapp' }],
      ['contact.identity_added', { kind: 'bsuid', value: 'KE.1000000000000006', by: 'whatsapp' }],
      ['contact.identity_added', { kind: 'username', value: 'baraka', by: 'whatsapp' }],
    ]);
    // The merged person's received events keep their id; their messages rows moved.
    const g2 = await db
      .selectFrom('messages')
      .select('contact_id')
      .where('external_id', '=', 'wamid.g2')
      .executeTakeFirstOrThrow();
    expect(g2.contact_id).toBe(older!.id);
  });

  it('a BSUID change after a number change (user_changed_number, then user_id_update): still one person', async () => {
    await post(
      'renumber',
      textMessage('wamid.r1', T, { phone: '254700000007', bsuid: 'KE.1000000000000007' }),
    );
    await post('renumber', numberChanged('wamid.r2', T + 60, { from: '254700000007', to: '254711111117' }));
    expect(
      await post(
        'renumber',
        userIdUpdate(T + 61, {
          phone: '254711111117',
          previous: 'KE.1000000000000007',
          current: 'KE.2000000000000007',
        }),
      ),
    ).toMatchObject({ updates: 1 });
    await post(
      'renumber',
      textMessage('wamid.r3', T + 120, { phone: '254711111117', bsuid: 'KE.2000000000000007' }),
    );
    expect(await people('renumber')).toEqual([
      person({
        wa_id: '254711111117',
        bsuid: 'KE.2000000000000007',
        messages: ['wamid.r1', 'wamid.r2', 'wamid.r3'],
      }),
    ]);
    expect((await contactEvents('renumber')).slice(1)).toEqual([
      [
        'contact.identity_changed',
        {
          kind: 'phone',
          from: '254700000007',
          to: '254711111117',
          by: 'whatsapp',
          reason: 'user_changed_number',
        },
      ],
      [
        'contact.identity_changed',
        {
          kind: 'bsuid',
          from: 'KE.1000000000000007',
          to: 'KE.2000000000000007',
          by: 'whatsapp',
          reason: 'user_id_update',
        },
      ],
    ]);
  });

  it('user_changed_user_id: the BSUID alone changes, found by the previous one', async () => {
    await post('userid', textMessage('wamid.i1', T, { bsuid: 'KE.1000000000000008', username: 'njeri' }));
    await post(
      'userid',
      userIdChanged('wamid.i2', T + 60, {
        previousBsuid: 'KE.1000000000000008',
        bsuid: 'KE.2000000000000008',
      }),
    );
    await post(
      'userid',
      textMessage('wamid.i3', T + 120, { bsuid: 'KE.2000000000000008', username: 'njeri' }),
    );
    expect(await people('userid')).toEqual([
      person({
        bsuid: 'KE.2000000000000008',
        username: 'njeri',
        messages: ['wamid.i1', 'wamid.i2', 'wamid.i3'],
      }),
    ]);
  });

  it('a parent BSUID is stored with the person', async () => {
    const who = { phone: '254700000009', bsuid: 'KE.1000000000000009', parentBsuid: 'KE.9000000000000009' };
    await post('parent', textMessage('wamid.a1', T, who));
    await post('parent', textMessage('wamid.a2', T + 1, who));
    expect(await people('parent')).toEqual([
      person({
        wa_id: '254700000009',
        bsuid: 'KE.1000000000000009',
        parent_bsuid: 'KE.9000000000000009',
        messages: ['wamid.a1', 'wamid.a2'],
      }),
    ]);
  });

  it('user_preferences: stop then resume sets the marketing opt-in with time and source; a late stop changes nothing', async () => {
    const who = { phone: '254700000010', bsuid: 'KE.1000000000000010' };
    await post('prefs', textMessage('wamid.f1', T, who));
    await post('prefs', userPreference(T + 60, who, 'stop'));
    const read = () =>
      db
        .selectFrom('contacts')
        .select(['marketing_opt_in', 'marketing_opt_in_at', 'marketing_opt_in_source'])
        .where('channel', '=', 'prefs')
        .executeTakeFirstOrThrow();
    expect(await read()).toEqual({
      marketing_opt_in: 'opted_out',
      marketing_opt_in_at: new Date((T + 60) * 1000),
      marketing_opt_in_source: 'whatsapp',
    });
    await post('prefs', userPreference(T + 120, who, 'resume'));
    await post('prefs', userPreference(T + 60, who, 'stop'));
    expect(await read()).toMatchObject({
      marketing_opt_in: 'opted_in',
      marketing_opt_in_at: new Date((T + 120) * 1000),
    });
    expect((await contactEvents('prefs')).slice(1)).toEqual([
      [
        'contact.marketing_preference',
        {
          marketing_opt_in: 'opted_out',
          at: new Date((T + 60) * 1000).toISOString(),
          source: 'whatsapp',
          detail: 'User requested to stop marketing messages',
        },
      ],
      [
        'contact.marketing_preference',
        {
          marketing_opt_in: 'opted_in',
          at: new Date((T + 120) * 1000).toISOString(),
          source: 'whatsapp',
          detail: 'User requested to resume marketing messages',
        },
      ],
    ]);
    expect(await people('prefs')).toHaveLength(1);
  });
});
