import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { AppError } from '../errors.js';
import { append } from './append.js';
import type { NewEvent } from './event.schema.js';

const db = (await createTestDatabase()).db;

function contactCreated(waId: string, key: string | null): NewEvent {
  return {
    type: 'contact.created',
    source: 'test',
    channel: 'simulator',
    idempotency_key: key,
    payload: { wa_id: waId, name: `Person ${waId}`, channel: 'simulator' },
  };
}

describe('append', () => {
  it('appends valid events in input order and returns their ids', async () => {
    const result = await append(db, [
      contactCreated('1', 'a1'),
      contactCreated('2', null),
      contactCreated('3', 'a3'),
    ]);
    expect(result.appended).toBe(3);
    expect(result.duplicates).toEqual([]);
    const rows = await db
      .selectFrom('events')
      .select(['id', 'type', 'idempotency_key', 'payload', 'schema_version'])
      .where('id', 'in', result.ids as string[])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.id)).toEqual(result.ids);
    expect(rows.map((r) => (r.payload as { wa_id: string }).wa_id)).toEqual(['1', '2', '3']);
    expect(rows.map((r) => r.schema_version)).toEqual([1, 1, 1]);
  });

  it('skips and reports duplicates by (source, idempotency key), in the log and within the batch', async () => {
    await append(db, [contactCreated('10', 'dup-1')]);
    const result = await append(db, [
      contactCreated('10', 'dup-1'),
      contactCreated('11', 'dup-2'),
      contactCreated('11', 'dup-2'),
      { ...contactCreated('12', 'dup-1'), source: 'other-source' },
    ]);
    expect(result.appended).toBe(2);
    expect(result.duplicates).toEqual([0, 2]);
    expect(result.ids[0]).toBeNull();
    expect(result.ids[2]).toBeNull();
    const count = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('idempotency_key', 'in', ['dup-1', 'dup-2'])
      .executeTakeFirstOrThrow();
    expect(count.n).toBe('3');
  });

  it('rejects the whole batch with every invalid field when one event is invalid', async () => {
    const before = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const bad = {
      type: 'contact.created',
      source: 'test',
      payload: { name: 'no wa_id' },
    } as unknown as NewEvent;
    const error = await append(db, [contactCreated('20', null), bad]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    expect((error as AppError).fields.map((f) => f.field)).toEqual(['1.payload.channel']);
    // With its channel, a person still needs a phone number or a BSUID.
    const nameless = { ...bad, payload: { name: 'no wa_id', channel: 'whatsapp' } } as unknown as NewEvent;
    const second = await append(db, [nameless]).catch((e: unknown) => e);
    expect((second as AppError).fields).toEqual([
      { field: '0.payload.wa_id', reason: 'a new person needs a phone number (wa_id) or a BSUID' },
    ]);
    const after = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('rejects an unknown event type', async () => {
    const error = await append(db, [{ type: 'nope', source: 'x', payload: {} } as unknown as NewEvent]).catch(
      (e: unknown) => e,
    );
    expect((error as AppError).fields[0]?.field).toBe('0.type');
  });

  it('commits or rolls back with the caller transaction', async () => {
    await db
      .transaction()
      .execute(async (tx) => {
        await append(tx, [contactCreated('30', 'rolled-back')]);
        throw new Error('abort');
      })
      .catch(() => {});
    const row = await db
      .selectFrom('events')
      .select('id')
      .where('idempotency_key', '=', 'rolled-back')
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });
});

describe('events is append-only', () => {
  it.each([
    ['UPDATE', sql`update events set type = 'x'`],
    ['DELETE', sql`delete from events`],
    ['TRUNCATE', sql`truncate events`],
  ])('%s fails with a clear error', async (operation, statement) => {
    await append(db, [contactCreated('40', null)]);
    const error = await statement.execute(db).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`events is append-only: ${operation} is not allowed`);
  });
});
