import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { resolveDefinition, type SegmentDefinition } from './segment-definition.js';
import { countSegment, type SegmentWarehouse } from './segment-query.js';

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  sql: string;
  builder: unknown;
  fieldKeys: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  latestCount: { count: number; countedAt: string; logPosition: string } | null;
}

export interface SegmentInput {
  name: string;
  description?: string | null;
  definition: SegmentDefinition;
}

/** Called inside the change's transaction (the API appends its operator.action audit event). */
export type OnSegmentChange = (tx: Tx, segment: Segment) => Promise<void>;

const columns = [
  's.id',
  's.name',
  's.description',
  's.sql',
  's.builder',
  's.field_keys',
  's.created_by',
  's.created_at',
  's.updated_at',
  's.archived_at',
  'latest.count',
  'latest.counted_at',
  'latest.log_position',
] as const;

function query(db: DbOrTx) {
  return db
    .selectFrom('segments as s')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('segment_counts')
          .select(['count', 'counted_at', 'log_position'])
          .whereRef('segment_counts.segment_id', '=', 's.id')
          .orderBy('counted_at', 'desc')
          .limit(1)
          .as('latest'),
      (join) => join.onTrue(),
    )
    .select(columns);
}

type Selected = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

function present(row: Selected): Segment {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    sql: row.sql,
    builder: row.builder ?? null,
    fieldKeys: row.field_keys,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    archivedAt: row.archived_at?.toISOString() ?? null,
    latestCount:
      row.count === null || row.counted_at === null || row.log_position === null
        ? null
        : {
            count: Number(row.count),
            countedAt: row.counted_at.toISOString(),
            logPosition: row.log_position,
          },
  };
}

export async function listSegments(db: DbOrTx, options: { archived?: boolean } = {}): Promise<Segment[]> {
  const rows = await query(db)
    .where('s.archived_at', options.archived ? 'is not' : 'is', null)
    .orderBy(sql`lower(s.name)`)
    .execute();
  return rows.map(present);
}

export async function getSegment(db: DbOrTx, id: string): Promise<Segment> {
  const row = await query(db).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `no segment ${id}`);
  return present(row);
}

/**
 * Saves a new segment. Its SQL is counted in the sandbox first (outside the transaction: a
 * slow query must not hold the log's horizon back), which also proves it runs and returns
 * contact_id; the row and its first count commit together.
 */
export async function createSegment(
  db: DbOrTx,
  warehouse: SegmentWarehouse,
  input: SegmentInput,
  by: string,
  onChange?: OnSegmentChange,
): Promise<Segment> {
  const name = input.name.trim();
  const resolved = await resolveDefinition(db, input.definition);
  const counted = await countSegment(warehouse, resolved.sql);
  return inTx(db, async (tx) => {
    await assertNameFree(tx, name, null);
    const { id } = await tx
      .insertInto('segments')
      .values({
        name,
        description: input.description ?? null,
        sql: resolved.sql,
        builder: resolved.builder === null ? null : JSON.stringify(resolved.builder),
        field_keys: resolved.fieldKeys,
        created_by: by,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordCount(tx, id, counted.count, counted.logPosition);
    const segment = await getSegment(tx, id);
    await onChange?.(tx, segment);
    return segment;
  });
}

/** Changes name, description and/or definition; a new definition is counted and recorded. */
export async function updateSegment(
  db: DbOrTx,
  warehouse: SegmentWarehouse,
  id: string,
  patch: Partial<SegmentInput>,
  onChange?: OnSegmentChange,
): Promise<Segment> {
  const current = await getSegment(db, id);
  if (current.archivedAt) throw new AppError('conflict', `segment ${id} is archived`);
  const resolved = patch.definition ? await resolveDefinition(db, patch.definition) : null;
  const counted = resolved ? await countSegment(warehouse, resolved.sql) : null;
  return inTx(db, async (tx) => {
    const name = patch.name?.trim();
    if (name !== undefined) await assertNameFree(tx, name, id);
    await tx
      .updateTable('segments')
      .set({
        ...(name === undefined ? {} : { name }),
        ...(patch.description === undefined ? {} : { description: patch.description }),
        ...(resolved
          ? {
              sql: resolved.sql,
              builder: resolved.builder === null ? null : JSON.stringify(resolved.builder),
              field_keys: resolved.fieldKeys,
            }
          : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (counted) await recordCount(tx, id, counted.count, counted.logPosition);
    const segment = await getSegment(tx, id);
    await onChange?.(tx, segment);
    return segment;
  });
}

export async function archiveSegment(db: DbOrTx, id: string, onChange?: OnSegmentChange): Promise<Segment> {
  return inTx(db, async (tx) => {
    const updated = await tx
      .updateTable('segments')
      .set({ archived_at: new Date(), updated_at: new Date() })
      .where('id', '=', id)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    const segment = await getSegment(tx, id);
    if (updated.numUpdatedRows > 0n) await onChange?.(tx, segment);
    return segment;
  });
}

/** Counts a saved segment now and records it in its history. */
export async function recountSegment(db: DbOrTx, warehouse: SegmentWarehouse, id: string) {
  const segment = await getSegment(db, id);
  const counted = await countSegment(warehouse, segment.sql);
  await recordCount(db, id, counted.count, counted.logPosition);
  return { segmentId: id, ...counted };
}

export async function countHistory(db: DbOrTx, id: string, limit = 200) {
  await getSegment(db, id);
  const rows = await db
    .selectFrom('segment_counts')
    .select(['counted_at', 'count', 'log_position'])
    .where('segment_id', '=', id)
    .orderBy('counted_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    countedAt: r.counted_at.toISOString(),
    count: Number(r.count),
    logPosition: r.log_position,
  }));
}

async function recordCount(db: DbOrTx, segmentId: string, count: number, logPosition: string) {
  await db
    .insertInto('segment_counts')
    .values({ segment_id: segmentId, count, log_position: logPosition })
    .execute();
}

async function assertNameFree(tx: Tx, name: string, exceptId: string | null) {
  if (name === '')
    throw new AppError('validation_failed', 'a segment needs a name', [
      { field: 'name', reason: 'required' },
    ]);
  let q = tx
    .selectFrom('segments')
    .select('id')
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .where('archived_at', 'is', null);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) {
    throw new AppError('conflict', `a segment named ${name} exists`, [
      { field: 'name', reason: 'already used' },
    ]);
  }
}

function inTx<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return db.transaction().execute(fn);
}
