import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { type Mirror, startMirror } from '../../warehouse/duckdb/mirror.js';
import { previewSegment } from './segment-query.js';
import {
  archiveSegment,
  countHistory,
  createSegment,
  getSegment,
  listSegments,
  recountSegment,
  updateSegment,
} from './segments-store.js';
import { snapshotSegment } from './snapshot-segment.js';
import { populationEvents, segmentPopulation } from './testing/segment-population.js';

const database = await createTestDatabase({ max: 4 });
const db = database.db;
let dir: string;
let mirror: Mirror;
/** The mirror as segments see it for a caller with pii.read. */
const warehouse = () => ({ ...mirror, canReadPii: true });
const people = segmentPopulation(1, 20);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-segments-'));
  await db
    .insertInto('custom_fields')
    .values([
      { key: 'district', name: 'District', type: 'choice' },
      { key: 'age', name: 'Age', type: 'number' },
    ])
    .execute();
  await db.transaction().execute((tx) => append(tx, populationEvents(people)));
  // A long poll: only NOTIFY and drain() move the mirror, as in production.
  mirror = await startMirror({
    databaseUrl: database.url,
    dataDir: dir,
    pageSize: 200,
    pollIntervalMs: 60_000,
  });
  await mirror.drain();
});
afterAll(async () => {
  await mirror?.stop();
  await rm(dir, { recursive: true, force: true });
});

const north = people.filter((p) => p.district === 'north').map((p) => String(p.id));

describe('segments', () => {
  let id: string;

  it('creates a segment from the builder, records its first count and lists it with that count', async () => {
    const segment = await createSegment(
      db,
      warehouse(),
      {
        name: 'North',
        definition: {
          builder: {
            kind: 'group',
            op: 'and',
            conditions: [{ kind: 'field', key: 'district', op: 'eq', value: 'north' }],
          },
        },
      },
      'user:1',
    );
    id = segment.id;
    expect(segment).toMatchObject({
      name: 'North',
      sql: "SELECT c.contact_id\nFROM contacts c\nWHERE (c.custom_fields->>'district') = 'north'",
      fieldKeys: ['district'],
      createdBy: 'user:1',
      latestCount: { count: north.length },
    });
    expect((await listSegments(db)).map((s) => [s.name, s.latestCount?.count])).toEqual([
      ['North', north.length],
    ]);
  });

  it('refuses a duplicate name, SQL without contact_id and a write, with clear errors', async () => {
    const attempt = (name: string, sql: string) =>
      createSegment(db, warehouse(), { name, definition: { sql } }, 'user:1').then(
        () => null,
        (e: { code: string; message: string; toJSON(): unknown }) => e.toJSON(),
      );
    expect(await attempt('north', 'SELECT contact_id FROM contacts')).toMatchObject({
      code: 'conflict',
      message: 'a segment named north exists',
    });
    expect(await attempt('No id', 'SELECT name\nFROM contacts')).toMatchObject({
      code: 'bad_request',
      message: 'a segment must return a contact_id column',
    });
    expect(await attempt('Evil', 'DELETE FROM contacts')).toMatchObject({ code: 'bad_request' });
    expect(await attempt('Typo', 'SELECT contact_id\nFROM contacts\nWHERE agee > 3')).toMatchObject({
      code: 'bad_request',
      line: 3,
      column: 7,
    });
    expect(await listSegments(db)).toHaveLength(1);
  });

  it('updates the SQL (switching from the builder), recounts and keeps the count history', async () => {
    const sql = `SELECT contact_id FROM contacts WHERE custom_fields->>'district' = 'north' AND (custom_fields->>'age')::INT > 20;`;
    const updated = await updateSegment(db, warehouse(), id, { definition: { sql } });
    const expected = people.filter((p) => p.district === 'north' && p.age > 20).length;
    expect(updated).toMatchObject({
      builder: null,
      fieldKeys: ['age', 'district'],
      latestCount: { count: expected },
    });
    await recountSegment(db, warehouse(), id);
    expect((await countHistory(db, id)).map((c) => c.count)).toEqual([expected, expected, north.length]);
  });

  it('previews the first people with their profile and the freshness of the data', async () => {
    const preview = await previewSegment(
      warehouse(),
      'SELECT contact_id FROM contacts WHERE contact_id <= 3 OR contact_id = 3',
    );
    expect(preview.count).toBe(3);
    expect(preview.rows).toEqual(
      [1, 2, 3].map((n) => ({
        contact_id: String(n),
        name: `Person ${n}`,
        wa_id: `2547${String(n).padStart(8, '0')}`,
        labels: [],
      })),
    );
    expect(preview.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(preview.logPosition).toBe((await mirror.status()).cursor?.log_position);
  });

  it('snapshots after the mirror caught up: a person appended just before is a member', async () => {
    const status = await mirror.status();
    const newcomer = 500;
    await db.transaction().execute((tx) =>
      append(tx, [
        {
          type: 'contact.created',
          source: 'import',
          contact_id: String(newcomer),
          channel: 'whatsapp',
          payload: { wa_id: '254799999999', name: 'New', channel: 'whatsapp' },
        },
        {
          type: 'contact.updated',
          source: 'import',
          contact_id: String(newcomer),
          channel: 'whatsapp',
          payload: {
            changes: { district: { from: null, to: 'north' }, age: { from: null, to: 50 } },
            by: 'import:7',
          },
        },
      ]),
    );
    const snapshot = await snapshotSegment(db, warehouse(), id, 'user:1');
    const expected = [
      ...people.filter((p) => p.district === 'north' && p.age > 20).map((p) => String(p.id)),
      String(newcomer),
    ];
    expect(snapshot.count).toBe(expected.length);
    expect(BigInt(snapshot.logPosition)).toBe(BigInt(status.cursor?.log_position ?? '0') + 2n);
    const members = await db
      .selectFrom('segment_snapshot_members')
      .select('contact_id')
      .where('snapshot_id', '=', snapshot.id)
      .orderBy('contact_id')
      .execute();
    expect(members.map((m) => m.contact_id)).toEqual(expected.sort((a, b) => Number(a) - Number(b)));
    const event = await db
      .selectFrom('events')
      .select(['type', 'payload'])
      .where('type', '=', 'segment.snapshot')
      .executeTakeFirstOrThrow();
    const segment = await getSegment(db, id);
    expect(event.payload).toEqual({
      segment_id: id,
      snapshot_id: snapshot.id,
      count: expected.length,
      sql_hash: createHash('sha256').update(segment.sql).digest('hex'),
      log_position: snapshot.logPosition,
      by: 'user:1',
    });
  });

  it('archives: the segment leaves the list and cannot be snapshotted', async () => {
    await archiveSegment(db, id);
    expect(await listSegments(db)).toEqual([]);
    await expect(snapshotSegment(db, warehouse(), id, 'user:1')).rejects.toThrow(`segment ${id} is archived`);
  });
});
