import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.js';

/**
 * The key of identifierHash: 32 random bytes in the one-row table `erasure_secret`, created
 * on first use by whichever instance needs it first (ON CONFLICT keeps the first one, so two
 * instances agree). It lives in Postgres, shared by every instance, and outside the log, so
 * neither the mirrors nor exports ever copy it. Losing it would only stop ingest from
 * recognising retries of erased people's old messages; it must never be replaced.
 */
export async function erasureSecret(db: DbOrTx): Promise<Buffer> {
  const existing = await db.selectFrom('erasure_secret').select('secret').executeTakeFirst();
  if (existing) return existing.secret;
  await sql`insert into erasure_secret (id, secret) values (1, ${randomBytes(32)}) on conflict (id) do nothing`.execute(
    db,
  );
  const row = await db.selectFrom('erasure_secret').select('secret').executeTakeFirstOrThrow();
  return row.secret;
}
