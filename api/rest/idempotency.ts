import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db, Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import type { Actor } from '../auth/actor.js';

/** How long a key's first answer is kept; a retry after that is a new request. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Runs a REST write at most once per `Idempotency-Key` header (Stripe's rule, docs/rest-idempotency.md):
 * the key is claimed in the write's own transaction, so the answer is stored exactly when the
 * write commits. A retry with the same key and body gets the stored answer; the same key with
 * another body is refused (422 idempotency_key_reused). A concurrent retry waits on the key's
 * row until the first request commits (then replays it) or rolls back (then runs itself).
 * A request that failed stored nothing, so its retry runs again. Without the header the write
 * simply runs.
 */
export async function idempotent<T>(
  db: Db,
  input: { request: FastifyRequest; actor: Actor; route: string; body: unknown; status: number },
  write: (tx: Tx) => Promise<T>,
): Promise<T> {
  const key = idempotencyKey(input.request);
  if (key === undefined) return db.transaction().execute(write);
  const owner = input.actor.kind === 'token' ? `token:${input.actor.tokenId}` : `user:${input.actor.userId}`;
  const requestHash = createHash('sha256')
    .update(`${input.route}\n${JSON.stringify(input.body)}`)
    .digest('hex');
  return db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('idempotency_keys')
      .where('owner', '=', owner)
      .where('created_at', '<', new Date(Date.now() - IDEMPOTENCY_KEY_TTL_MS))
      .execute();
    const claimed = await tx
      .insertInto('idempotency_keys')
      .values({ owner, key, request_hash: requestHash, status_code: input.status, response: 'null' })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const first = await tx
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'response'])
        .where('owner', '=', owner)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      if (first.request_hash !== requestHash)
        throw new AppError(
          'idempotency_key_reused',
          'This Idempotency-Key was already used with a different request; use a new key for a new request.',
          [{ field: 'Idempotency-Key', reason: 'already used with a different request' }],
        );
      return first.response as T;
    }
    const result = await write(tx);
    await tx
      .updateTable('idempotency_keys')
      .set({ response: JSON.stringify(result) })
      .where('owner', '=', owner)
      .where('key', '=', key)
      .execute();
    return result;
  });
}

function idempotencyKey(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!/^[\x21-\x7e]{1,255}$/.test(value))
    throw new AppError(
      'validation_failed',
      'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
      [{ field: 'Idempotency-Key', reason: 'must be 1 to 255 visible ASCII characters' }],
    );
  return value;
}
