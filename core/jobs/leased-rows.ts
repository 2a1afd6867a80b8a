import { type RawBuilder, sql } from 'kysely';
import type { Db, DbOrTx } from '../db/database.js';

/**
 * A table whose rows are units of work claimed the way jobs are: `jobs` itself, and the
 * outbox, whose rows stay the sender's unit of work (a job row per message would add a write
 * to every send; docs/architecture.md, "Jobs and timers"). One copy of the claim, the lease and
 * the attempt fence serves both. Every such table has `id`, `attempts` and `updated_at`.
 */
export interface LeasedTable {
  name: string;
  /** When a row is next due (first due, or its retry). */
  due: string;
  /**
   * Where a claim keeps its lease's end: the due column itself (jobs: a running job is due
   * again when its lease ends) or a column of its own (the outbox's claimed_until, which tells
   * a row in flight from one waiting for its retry).
   */
  lease: string;
}

export interface ClaimLeasedOptions {
  /** Which rows may be claimed, besides being due and not leased. */
  where: RawBuilder<unknown>;
  limit: number;
  leaseMs: number;
  /** The clock the claim reads; default the database's. */
  now?: Date;
  /** What a claim does to `attempts`; default adds one (the attempt that starts). */
  attempts?: RawBuilder<unknown>;
  /** More assignments of the claim (they may read the row as `t`). */
  set?: RawBuilder<unknown>;
  /** What the claim returns (the row is `t`). */
  returning: RawBuilder<unknown>;
}

/**
 * Claims up to `limit` due rows: FOR UPDATE SKIP LOCKED lets workers in any number of
 * processes share the table without waiting on each other; the lease keeps other workers off
 * a claimed row while its work runs outside any transaction, and gives the row back when a
 * worker dies; the attempt count it increments is the fence of everything the attempt then
 * writes (fencedUpdate). Oldest due first.
 */
export async function claimLeased<R>(db: Db, table: LeasedTable, options: ClaimLeasedOptions): Promise<R[]> {
  if (options.limit <= 0) return [];
  const now = options.now ? sql`${options.now}::timestamptz` : sql`now()`;
  const due = sql.ref(table.due);
  const lease = sql.ref(table.lease);
  const notLeased = table.lease === table.due ? sql`true` : sql`(${lease} is null or ${lease} < ${now})`;
  const result = await sql<R>`
    with due as (
      select id from ${sql.table(table.name)}
      where ${options.where} and ${due} <= ${now} and ${notLeased}
      order by ${due}, id
      limit ${options.limit}
      for update skip locked
    )
    update ${sql.table(table.name)} t set
      ${sql.id(table.lease)} = ${now} + make_interval(secs => ${options.leaseMs / 1000}),
      attempts = ${options.attempts ?? sql`t.attempts + 1`},
      ${options.set ? sql`${options.set},` : sql``}
      updated_at = now()
    from due where t.id = due.id
    returning ${options.returning}`.execute(db);
  return [...result.rows];
}

/**
 * Updates one claimed row only while this attempt still holds it: `attempts` unchanged since
 * the claim (and `where`, such as its state). False when the lease ran out and another worker
 * claimed the row since, or it was settled otherwise: the caller's late outcome changes nothing.
 */
export async function fencedUpdate(
  db: DbOrTx,
  table: LeasedTable,
  row: { id: string; attempts: number },
  options: { set: RawBuilder<unknown>; where?: RawBuilder<unknown> },
): Promise<boolean> {
  const result = await sql`
    update ${sql.table(table.name)} set ${options.set}, updated_at = now()
    where id = ${row.id} and attempts = ${row.attempts} ${options.where ? sql`and ${options.where}` : sql``}`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** Milliseconds until a row matching `where` can next be claimed; null when none waits. */
export async function nextLeasedDueInMs(
  db: Db,
  table: LeasedTable,
  where: RawBuilder<unknown>,
): Promise<number | null> {
  const due = sql.ref(table.due);
  const next =
    table.lease === table.due
      ? sql`min(${due})`
      : sql`min(greatest(${due}, coalesce(${sql.ref(table.lease)}, ${due})))`;
  const result = await sql<{ ms: number | null }>`
    select extract(epoch from ${next} - now()) * 1000 as ms from ${sql.table(table.name)} where ${where}`.execute(
    db,
  );
  const ms = result.rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
}
