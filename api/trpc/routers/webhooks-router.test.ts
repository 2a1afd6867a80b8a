import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { callerFor, createMember, errorShape, testServices } from '../test-support.js';

const { db } = await createTestDatabase();

describe('webhook procedures', () => {
  it('create, update, rotate the secret, list, alert and delete, each audited', async () => {
    const admin = await createMember(db, 'admin');
    const services = testServices(db, {
      config: { publicUrl: undefined, allowLocalWebhooks: false },
      lookup: async () => [{ address: '93.184.215.14', family: 4 }],
    });
    const { caller } = callerFor(services, admin.actor);
    expect(await caller.webhooks.eventTypes()).toEqual(
      expect.arrayContaining(['message.received', 'message.status', 'contact.created']),
    );

    const refused = await errorShape(
      caller.webhooks.create({ url: 'http://169.254.169.254/latest/', event_types: ['message.received'] }),
    );
    expect(refused.data.fields).toEqual([
      { field: 'url', reason: 'is not allowed: 169.254.169.254 is a local, private or reserved address' },
    ]);

    const created = await caller.webhooks.create({
      url: 'https://hooks.example.org/a',
      event_types: ['message.received'],
      description: 'CRM',
    });
    expect(created).toMatchObject({
      url: 'https://hooks.example.org/a',
      active: true,
      failing: false,
      secret: expect.stringMatching(/^whsec_/),
    });
    const updated = await caller.webhooks.update({
      id: created.id,
      active: false,
      event_types: ['message.received', 'message.status'],
    });
    expect([updated.active, updated.event_types]).toEqual([false, ['message.received', 'message.status']]);
    const rotated = await caller.webhooks.rotateSecret({ id: created.id });
    expect(rotated.secret).not.toBe(created.secret);
    expect(JSON.stringify(await caller.webhooks.list())).not.toContain('whsec_');
    expect(await caller.webhooks.alerts()).toEqual([]);
    await db
      .updateTable('webhook_subscriptions')
      .set({ failing: true, failing_since: new Date() })
      .where('id', '=', created.id)
      .execute();
    expect((await caller.webhooks.alerts()).map((w) => w.id)).toEqual([created.id]);
    expect(await caller.webhooks.deliveries({ id: created.id })).toEqual([]);
    expect(await caller.webhooks.delete({ id: created.id })).toEqual({ ok: true });
    await expect(caller.webhooks.get({ id: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const audit = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'operator.action')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => (a.payload as { action: string; details: unknown }).action)).toEqual([
      'webhook.create',
      'webhook.update',
      'webhook.rotate_secret',
      'webhook.delete',
    ]);
    expect((audit[1]!.payload as { details: unknown }).details).toEqual({
      changes: {
        active: { from: true, to: false },
        event_types: { from: ['message.received'], to: ['message.received', 'message.status'] },
      },
    });
    expect(JSON.stringify(audit)).not.toContain('whsec_');
  });

  it('is admin-only', async () => {
    const builder = await createMember(db, 'builder');
    await expect(callerFor(testServices(db), builder.actor).caller.webhooks.list()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
