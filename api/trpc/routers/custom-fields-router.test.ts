import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { callerFor, createMember, testServices } from '../test-support.js';

const { db } = await createTestDatabase();
const services = testServices(db);
const admin = await createMember(db, 'admin');
const builder = await createMember(db, 'builder');
const asAdmin = callerFor(services, admin.actor).caller;

function fieldsOf(error: unknown) {
  return (error as { cause: { fields: unknown } }).cause.fields;
}

describe('customFields', () => {
  it('creates typed fields, refusing bad or built-in keys and bad options, for settings.manage only', async () => {
    const created = await asAdmin.customFields.create({
      key: 'district',
      name: 'District',
      type: 'choice',
      options: [{ key: 'north', label: 'North' }],
      description: 'Where they live',
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^\d+$/),
      key: 'district',
      name: 'District',
      type: 'choice',
      options: [{ key: 'north', label: 'North' }],
      description: 'Where they live',
      usedBy: [],
    });
    const cases: [Parameters<typeof asAdmin.customFields.create>[0], string, unknown][] = [
      [
        { key: 'opt_in', name: 'x', type: 'text' },
        'BAD_REQUEST',
        [{ field: 'key', reason: 'opt_in is a built-in field of every person' }],
      ],
      [{ key: 'district', name: 'x', type: 'text' }, 'CONFLICT', [{ field: 'key', reason: 'already used' }]],
      [
        { key: 'size', name: 'x', type: 'choice' },
        'BAD_REQUEST',
        [{ field: 'options', reason: 'a choice field needs at least one option' }],
      ],
      [
        { key: 'size', name: 'x', type: 'text', options: [{ key: 'a', label: 'A' }] },
        'BAD_REQUEST',
        [{ field: 'options', reason: 'only choice fields have options' }],
      ],
    ];
    for (const [input, code, fields] of cases) {
      const error = await asAdmin.customFields.create(input).catch((e: unknown) => e);
      expect([code, fieldsOf(error)]).toEqual([code, fields]);
    }
    const badKey = await asAdmin.customFields
      .create({ key: 'Bad Key', name: 'x', type: 'text' })
      .catch((e: unknown) => e);
    expect(badKey).toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      callerFor(services, builder.actor).caller.customFields.create({ key: 'x', name: 'x', type: 'text' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('renames without changing the key, and refuses deletion while a segment uses the field', async () => {
    const [field] = await asAdmin.customFields.list();
    const renamed = await asAdmin.customFields.update({ id: field!.id, name: 'Home district' });
    expect(renamed).toMatchObject({ key: 'district', name: 'Home district' });
    const segment = await db
      .insertInto('segments')
      .values({ name: 'Northerners', sql: 'select 1', field_keys: ['district'], created_by: 'user:1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const error = await asAdmin.customFields.delete({ id: field!.id }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CONFLICT',
      message: `custom field district is used by segment ${segment.id} "Northerners"; change those first`,
    });
    expect((await asAdmin.customFields.list())[0]!.usedBy).toEqual([
      { kind: 'segment', id: segment.id, name: 'Northerners' },
    ]);
    await db.updateTable('segments').set({ archived_at: new Date() }).where('id', '=', segment.id).execute();
    expect(await asAdmin.customFields.delete({ id: field!.id })).toEqual({ deleted: true });
    expect(await asAdmin.customFields.list()).toEqual([]);
    const actions = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'operator.action')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => (a.payload as { action: string; details: unknown }).action)).toEqual([
      'custom_field.create',
      'custom_field.update',
      'custom_field.delete',
    ]);
    expect((actions[1]!.payload as { details: unknown }).details).toEqual({
      key: 'district',
      name: { from: 'District', to: 'Home district' },
    });
  });
});
