import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { createContact } from '../../services/contacts.js';
import { callerFor, createMember, testServices } from '../test-support.js';

const { db } = await createTestDatabase();
const services = testServices(db);

describe('personal data in the dashboard', () => {
  it('is masked for a Viewer and an Admin alike until an Admin reveals it, which is logged', async () => {
    const admin = await createMember(db, 'admin');
    const viewer = await createMember(db, 'viewer');
    const contact = await createContact(
      db,
      admin.actor,
      { channel: 'whatsapp', wa_id: '27821234512', name: 'Thandi Mokoena' },
      ['whatsapp'],
    );
    const asViewer = callerFor(services, viewer.actor).caller;
    const asAdmin = callerFor(services, admin.actor).caller;

    for (const caller of [asViewer, asAdmin]) {
      const seen = await caller.contacts.get({ id: contact.id });
      expect(seen).toMatchObject({ id: contact.id, wa_id: '+27 *******12', name: 'T*** M***', masked: true });
      const list = await caller.contacts.list({});
      expect(list.map((c) => [c.wa_id, c.name])).toEqual([['+27 *******12', 'T*** M***']]);
    }

    await expect(asViewer.contacts.revealPii({ id: contact.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const before = await db.selectFrom('events').select('id').where('type', '=', 'operator.action').execute();
    expect(before).toHaveLength(0);

    const revealed = await asAdmin.contacts.revealPii({
      id: contact.id,
      reason: 'call back about a complaint',
    });
    expect(revealed).toMatchObject({ wa_id: '27821234512', name: 'Thandi Mokoena', masked: false });
    const audit = await db
      .selectFrom('events')
      .select(['contact_id', 'channel', 'source', 'payload'])
      .where('type', '=', 'operator.action')
      .execute();
    expect(audit).toEqual([
      {
        contact_id: contact.id,
        channel: 'whatsapp',
        source: 'api',
        payload: {
          actor: { kind: 'user', id: admin.userId, email: admin.email },
          action: 'pii.reveal',
          target: { kind: 'contact', id: contact.id },
          details: {
            fields: ['wa_id', 'bsuid', 'parent_bsuid', 'username', 'name'],
            reason: 'call back about a complaint',
          },
        },
      },
    ]);
  });

  it('lets an operator rename a contact (contact.updated) but not a viewer', async () => {
    const admin = await createMember(db, 'admin');
    const operator = await createMember(db, 'operator');
    const viewer = await createMember(db, 'viewer');
    const contact = await createContact(db, admin.actor, { channel: 'whatsapp', wa_id: '447700900123' }, [
      'whatsapp',
    ]);
    await expect(
      callerFor(services, viewer.actor).caller.contacts.update({ id: contact.id, name: 'X' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const updated = await callerFor(services, operator.actor).caller.contacts.update({
      id: contact.id,
      name: 'John Smith',
    });
    expect(updated).toMatchObject({ wa_id: '+44 ********23', name: 'J*** S***' });
    const event = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'contact.updated')
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(event.payload).toEqual({
      changes: { name: { from: null, to: 'John Smith' } },
      by: `user:${operator.userId}`,
    });
  });
});
