import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { append } from '../../../core/log/append.js';
import { populationEvents, segmentPopulation } from '../../../engine/segments/testing/segment-population.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { type Mirror, startMirror } from '../../../warehouse/duckdb/mirror.js';
import { maskName, maskPhone } from '../../auth/mask.js';
import { callerFor, createMember, errorShape, testServices } from '../test-support.js';

const database = await createTestDatabase({ max: 4 });
const { db } = database;
const people = segmentPopulation(1, 12);
let dir: string;
let mirror: Mirror;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-segments-router-'));
  await db.insertInto('custom_fields').values({ key: 'age', name: 'Age', type: 'number' }).execute();
  await db.transaction().execute((tx) => append(tx, populationEvents(people)));
  mirror = await startMirror({ databaseUrl: database.url, dataDir: dir });
  await mirror.drain();
});
afterAll(async () => {
  await mirror?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('segments router', () => {
  it('parses a query, previews it masked, saves it with an audit event; a viewer can only read', async () => {
    const services = testServices(db, { warehouse: mirror });
    const builder = (await createMember(db, 'builder')).actor;
    const viewer = (await createMember(db, 'viewer')).actor;
    const asBuilder = callerFor(services, builder).caller;
    const asViewer = callerFor(services, viewer).caller;

    const parsed = await asViewer.segments.parseQuery({ text: 'age > 15 AND NOT blocked' });
    expect(parsed.sql).toBe(
      "SELECT c.contact_id\nFROM contacts c\nWHERE TRY_CAST(c.custom_fields->>'age' AS DOUBLE) > 15\n  AND NOT (c.blocked)",
    );
    const expected = people.filter((p) => p.age > 15 && !p.blocked).map((p) => String(p.id));
    const preview = await asViewer.segments.preview({ builder: parsed.builder });
    expect(preview.count).toBe(expected.length);
    expect(preview.masked).toBe(true);
    expect(preview.rows.map((r) => r.contact_id)).toEqual(expected);
    const first = expected[0]!;
    expect(preview.rows[0]).toEqual({
      contact_id: first,
      name: maskName(`Person ${first}`),
      wa_id: maskPhone(`2547${first.padStart(8, '0')}`),
      labels: [],
    });
    expect(preview.rows[0]?.name).not.toBe(`Person ${first}`);

    await expect(
      asViewer.segments.create({ name: 'Adults', definition: { builder: parsed.builder } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const saved = await asBuilder.segments.create({
      name: 'Adults',
      definition: { builder: parsed.builder },
    });
    expect(saved.latestCount?.count).toBe(expected.length);
    const audit = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'operator.action')
      .execute();
    expect(audit.map((a) => (a.payload as { action: string }).action)).toEqual(['segment.create']);
    expect((await asViewer.segments.list()).map((s) => s.name)).toEqual(['Adults']);
  });

  it('answers BAD_REQUEST with the line and column of a SQL error or a query error', async () => {
    const viewer = (await createMember(db, 'viewer')).actor;
    const caller = callerFor(testServices(db, { warehouse: mirror }), viewer).caller;
    const sqlError = await errorShape(
      caller.segments.preview({ sql: 'SELECT contact_id\nFROM contacts\nWHERE agee > 3' }),
    );
    expect(sqlError).toMatchObject({ data: { code: 'BAD_REQUEST', position: { line: 3, column: 7 } } });
    const queryError = await errorShape(caller.segments.parseQuery({ text: 'age > old' }));
    expect(queryError).toMatchObject({
      message: 'age needs a number (at column 7)',
      data: { code: 'BAD_REQUEST', position: { line: null, column: 7 } },
    });
    const noWarehouse = await errorShape(
      callerFor(testServices(db), viewer).caller.segments.preview({ sql: 'SELECT 1 AS contact_id' }),
    );
    expect(noWarehouse).toMatchObject({ data: { code: 'SERVICE_UNAVAILABLE' } });
  });
});
