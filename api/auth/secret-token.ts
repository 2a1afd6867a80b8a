import { createHash, randomBytes } from 'node:crypto';

/**
 * Random bearer secrets (session cookies, invite and setup links, API tokens): 32 random
 * bytes, base64url, with a prefix that says what the secret is (GitHub's token format idea:
 * secret scanners can recognise `prl_` tokens). Only the SHA-256 hash is stored: the secret
 * has 256 bits of entropy, so a fast hash is enough and lookups stay one index probe.
 */
export function secretToken(prefix = ''): { token: string; hash: string } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
