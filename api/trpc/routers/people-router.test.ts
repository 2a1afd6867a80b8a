import { describe, expect, it } from 'vitest';
import { append } from '../../../core/log/append.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { callerFor, createMember, testServices } from '../test-support.js';

const { db } = await createTestDatabase();
const services = testServices(db);
const admin = await createMember(db, 'admin');
const operator = await createMember(db, 'operator');
const asAdmin = callerFor(services, admin.actor).caller;
const asOperator = callerFor(services, operator.actor).caller;

async function person(waId: string, name: string | null, extra: Record<string, unknown> = {}) {
  const row = await db
    .insertInto('contacts')
    .values({ channel: 'whatsapp', wa_id: waId, name, ...extra })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function updates(id: string) {
  const rows = await db
    .selectFrom('events')
    .select(['payload'])
    .where('type', '=', 'contact.updated')
    .where('contact_id', '=', id)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.payload);
}

await asAdmin.customFields.create({
  key: 'district',
  name: 'District',
  type: 'choice',
  options: [
    { key: 'north', label: 'North' },
    { key: 'south', label: 'South' },
  ],
});
await asAdmin.customFields.create({ key: 'age', name: 'Age', type: 'number' });
await asAdmin.customFields.create({ key: 'due_date', name: 'Due date', type: 'date' });

const thandi = await person('27821234512', 'Thandi Mokoena');
const sipho = await person('14155550123', 'Sipho Dlamini', { timezone: 'Africa/Lagos' });
const lerato = await person('27831112222', null);

describe('people.update', () => {
  it('changes the profile with one contact.updated by the user, and none when nothing changes', async () => {
    const after = await asAdmin.people.update({
      id: thandi,
      language: 'zu',
      optIn: 'opted_in',
      fields: { district: 'north', age: 31, due_date: '2026-02-28' },
    });
    expect(after).toMatchObject({
      id: thandi,
      waId: '27821234512',
      phone: '+27821234512',
      name: 'Thandi Mokoena',
      language: 'zu',
      timezone: 'Africa/Johannesburg',
      timezoneDerived: true,
      optIn: 'opted_in',
      blocked: false,
      labels: [],
      fields: { district: 'north', age: 31, due_date: '2026-02-28' },
      masked: false,
      erasedAt: null,
    });
    await asAdmin.people.update({ id: thandi, language: 'zu', fields: { age: 31 } });
    expect(await updates(thandi)).toEqual([
      {
        by: `user:${admin.userId}`,
        changes: {
          language: { from: null, to: 'zu' },
          opt_in: { from: 'unknown', to: 'opted_in' },
          age: { from: null, to: 31 },
          district: { from: null, to: 'north' },
          due_date: { from: null, to: '2026-02-28' },
        },
      },
    ]);
  });

  it('refuses bad values naming the field and the reason, changing nothing', async () => {
    const error = await asAdmin.people
      .update({
        id: thandi,
        timezone: 'Mars/Olympus',
        fields: { district: 'east', age: 'old', due_date: '2026-02-30', nope: 1 },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    const shape = (error as { cause: { fields: unknown } }).cause.fields;
    expect(shape).toEqual([
      {
        field: 'timezone',
        reason: 'unknown timezone "Mars/Olympus" (use an IANA name such as Africa/Johannesburg)',
      },
      { field: 'fields.district', reason: 'must be one of the options: north, south' },
      { field: 'fields.age', reason: 'must be a number' },
      { field: 'fields.due_date', reason: 'must be a date written YYYY-MM-DD' },
      { field: 'fields.nope', reason: 'no custom field with key nope' },
    ]);
    expect(await updates(thandi)).toHaveLength(1);
  });

  it('clears a field with null and blocks a person', async () => {
    const after = await asAdmin.people.update({ id: thandi, blocked: true, fields: { due_date: null } });
    expect(after.fields).toEqual({ district: 'north', age: 31 });
    expect(after.blocked).toBe(true);
    expect((await updates(thandi)).at(-1)).toEqual({
      by: `user:${admin.userId}`,
      changes: { blocked: { from: false, to: true }, due_date: { from: '2026-02-28', to: null } },
    });
    await asAdmin.people.update({ id: thandi, blocked: false });
  });
});

describe('people.setLabels and labels', () => {
  it('adds and removes labels on many people: trimmed, sorted, unique, one event per changed person', async () => {
    expect(
      await asOperator.people.setLabels({ ids: [thandi, sipho, lerato], add: [' vip ', 'Pilot', 'vip'] }),
    ).toEqual({ updated: 3 });
    expect(
      await asOperator.people.setLabels({ ids: [thandi, sipho], add: ['pilot'], remove: ['vip'] }),
    ).toEqual({ updated: 2 });
    expect(await asOperator.people.setLabels({ ids: [lerato], add: ['Pilot'] })).toEqual({ updated: 0 });
    expect((await asAdmin.people.get({ id: thandi })).labels).toEqual(['Pilot', 'pilot']);
    expect((await asAdmin.people.get({ id: lerato })).labels).toEqual(['Pilot', 'vip']);
    expect((await updates(sipho)).map((u) => (u as { changes: unknown }).changes)).toEqual([
      { labels: { from: [], to: ['Pilot', 'vip'] } },
      { labels: { from: ['Pilot', 'vip'], to: ['Pilot', 'pilot'] } },
    ]);
    expect(await asAdmin.people.labels()).toEqual([
      { label: 'Pilot', count: 3 },
      { label: 'pilot', count: 2 },
      { label: 'vip', count: 1 },
    ]);
  });
});

describe('people.list', () => {
  it('searches by name, phone digits and field value, filters, and pages by id', async () => {
    const ids = async (input: Parameters<typeof asAdmin.people.list>[0]) => {
      const page = await asAdmin.people.list(input);
      return { ids: page.items.map((p) => p.id), total: page.total, next: page.nextAfterId };
    };
    expect(await ids({ search: 'mokoena' })).toEqual({ ids: [thandi], total: 1, next: null });
    expect(await ids({ search: '555 0123' })).toEqual({ ids: [sipho], total: 1, next: null });
    expect(await ids({ search: 'NORTH' })).toEqual({ ids: [thandi], total: 1, next: null });
    expect(await ids({ label: 'vip' })).toEqual({ ids: [lerato], total: 1, next: null });
    expect(await ids({ optIn: 'opted_in' })).toEqual({ ids: [thandi], total: 1, next: null });
    expect(await ids({ field: { key: 'district', value: 'north' } })).toEqual({
      ids: [thandi],
      total: 1,
      next: null,
    });
    expect(await ids({ blocked: false, limit: 2 })).toEqual({ ids: [thandi, sipho], total: 3, next: sipho });
    expect(await ids({ blocked: false, limit: 2, afterId: sipho })).toEqual({
      ids: [lerato],
      total: 3,
      next: null,
    });
  });

  it('masks phone, BSUID, username and name for a role without pii.read; explicit timezones stay', async () => {
    await db
      .updateTable('contacts')
      .set({ bsuid: 'US.1000000000000023', parent_bsuid: 'US.ENT.42', username: 'sipho.d' })
      .where('id', '=', sipho)
      .execute();
    const unmasked = await asAdmin.people.list({ search: 'Sipho' });
    expect(unmasked.items).toEqual([
      expect.objectContaining({
        bsuid: 'US.1000000000000023',
        parentBsuid: 'US.ENT.42',
        username: 'sipho.d',
        masked: false,
      }),
    ]);
    const page = await asOperator.people.list({ search: 'Sipho' });
    expect(page.items).toEqual([
      expect.objectContaining({
        waId: '+1 ********23',
        phone: '+1 ********23',
        bsuid: 'US.**************23',
        parentBsuid: 'US.****42',
        username: 's***',
        name: 'S*** D***',
        timezone: 'Africa/Lagos',
        timezoneDerived: false,
        masked: true,
      }),
    ]);
    const revealed = await asAdmin.people.revealPii({ id: sipho, reason: 'ticket 7' });
    expect(revealed).toMatchObject({
      phone: '+14155550123',
      bsuid: 'US.1000000000000023',
      username: 'sipho.d',
      name: 'Sipho Dlamini',
      masked: false,
    });
    await expect(asOperator.people.revealPii({ id: sipho })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('people.timeline', () => {
  it("lists the person's events newest first with readable titles, paged", async () => {
    await append(db, [
      {
        type: 'message.received',
        source: 'whatsapp',
        channel: 'whatsapp',
        contact_id: lerato,
        payload: {
          message_id: '1',
          external_id: 'wamid.1',
          wa_id: '27831112222',
          message_type: 'text',
          timestamp: '2026-01-01T10:00:00Z',
          text: 'Hello clinic',
          raw: {},
        },
      },
      {
        type: 'journey.dropped',
        source: 'engine',
        contact_id: lerato,
        payload: { journey_id: '4', run_id: '9', card_id: 'ask_age', reason: 'timed out' },
      },
    ]);
    const first = await asOperator.people.timeline({ id: lerato, limit: 2 });
    expect(first.items.map((i) => [i.type, i.title, i.detail, i.direction])).toEqual([
      ['journey.dropped', 'Dropped out of journey 4', 'timed out', undefined],
      ['message.received', 'Sent a message', 'Hello clinic', 'inbound'],
    ]);
    const second = await asOperator.people.timeline({ id: lerato, beforeEventId: first.nextBeforeEventId! });
    expect(second.items.map((i) => [i.title, i.detail])).toEqual([
      [`Profile changed by user:${operator.userId}`, 'labels: — → Pilot, vip'],
    ]);
    expect(second.nextBeforeEventId).toBeNull();
  });
});
