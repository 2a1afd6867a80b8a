import type { DbOrTx } from '../../core/db/database.js';
import { erasureSecret } from '../../core/log/erasure/erasure-secret.js';
import { identifierHash } from '../../core/log/erasure/identifier-hash.js';

export interface ErasedWamids {
  /** The keyed hash an erasure gives this wamid (core/log/erasure/identifier-hash.ts). */
  hashOf(wamid: string): string;
  /** Incoming wamids whose message was erased: stored under their hash. */
  erased: ReadonlySet<string>;
}

/**
 * An erasure replaces the wamids of the person's messages by keyed hashes (docs/erasure.md),
 * so a retried webhook of one of their messages, or a late status, no longer finds the wamid
 * itself. Ingest hashes every incoming wamid the same way and looks for the hash: one query
 * per group commit, and messages found here are duplicates, never stored again nor creating
 * a new person.
 */
export async function erasedWamids(
  tx: DbOrTx,
  channel: string,
  wamids: readonly string[],
): Promise<ErasedWamids> {
  if (wamids.length === 0) return { hashOf: () => '', erased: new Set() };
  const secret = await erasureSecret(tx);
  const hashes = new Map<string, string>();
  const hashOf = (wamid: string) => {
    let hash = hashes.get(wamid);
    if (hash === undefined) {
      hash = identifierHash(secret, 'wamid', wamid);
      hashes.set(wamid, hash);
    }
    return hash;
  };
  const unique = [...new Set(wamids)];
  const found = await tx
    .selectFrom('messages')
    .select('external_id')
    .where('channel', '=', channel)
    .where('external_id', 'in', unique.map(hashOf))
    .execute();
  const stored = new Set(found.map((r) => r.external_id));
  return { hashOf, erased: new Set(unique.filter((w) => stored.has(hashOf(w)))) };
}
