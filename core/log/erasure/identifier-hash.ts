import { createHmac } from 'node:crypto';

/**
 * Identifiers that point at one person and must not outlive their erasure, yet are needed
 * afterwards: a wamid (WhatsApp's message id, which encodes the phone number in base64) lets
 * ingest recognise a retried webhook and match a late status; a BSUID, parent BSUID or
 * username lets it recognise the person's old events.
 */
export type IdentifierKind = 'wamid' | 'phone' | 'bsuid' | 'parent_bsuid' | 'username';

/** Every hashed identifier starts with this, so code and readers can tell one from a real id. */
export const hashedPrefix = 'hmac:';

/**
 * The keyed hash that replaces an identifier at erasure, and that ingest computes for an
 * incoming identifier to find what was erased: HMAC-SHA-256 under the server's erasure
 * secret (erasure-secret.ts; never in the log or a mirror, so the hash cannot be reversed by
 * trying every phone number), over the kind and the value exactly as the channel sent them.
 * 128 bits of the digest, hex: `hmac:wamid:3f1c…`.
 */
export function identifierHash(secret: Uint8Array, kind: IdentifierKind, value: string): string {
  const digest = createHmac('sha256', secret).update(`${kind}\u0000${value}`).digest('hex');
  return `${hashedPrefix}${kind}:${digest.slice(0, 32)}`;
}

export function isHashedIdentifier(value: string): boolean {
  return value.startsWith(hashedPrefix);
}
