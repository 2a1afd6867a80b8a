import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const header = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks Meta's X-Hub-Signature-256 header: `sha256=` and the hex HMAC-SHA256 of the raw
 * request body, keyed with the app secret
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads).
 * The body must be the bytes as received: re-serialised JSON would not match. The digests
 * are compared in constant time, so a forger learns nothing from how long a refusal takes.
 */
export function verifySignature(
  rawBody: Buffer,
  signature: string | string[] | undefined,
  appSecret: string,
): SignatureCheck {
  if (signature === undefined || signature === '') return { ok: false, reason: 'missing' };
  if (Array.isArray(signature)) return { ok: false, reason: 'sent more than once' };
  const match = header.exec(signature.trim());
  if (!match) return { ok: false, reason: 'must be sha256= followed by 64 hex digits' };
  const given = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // timingSafeEqual throws on different lengths; the pattern above fixes it at 32 bytes.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'does not match the body' };
  }
  return { ok: true };
}
