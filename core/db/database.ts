import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A data function takes either the database or the caller's transaction (CONVENTIONS.md). */
export type DbOrTx = Db | Tx;

// int8 (bigint ids, counts) stays a string: JS numbers lose precision past 2^53.
// timestamptz stays a Date (pg's default). Nothing else is changed globally.

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

export function createDatabase(url: string, options: { max?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client that loses its connection emits 'error'; without a listener Node exits.
  pool.on('error', () => {});
  // A checked-out client has no pool listener; if the server goes away between two queries
  // (a restart, shutdown) its 'error' would crash the process. The next query fails instead.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    url,
    async close() {
      await db.destroy();
    },
  };
}
