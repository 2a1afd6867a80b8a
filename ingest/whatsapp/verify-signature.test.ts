import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySignature } from './verify-signature.js';

const secret = 'app-secret-for-tests';
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const hex = createHmac('sha256', secret).update(body).digest('hex');

describe('verifySignature', () => {
  it.each([
    ['the HMAC of the raw body', `sha256=${hex}`],
    ['upper-case hex digits', `sha256=${hex.toUpperCase()}`],
  ])('accepts %s', (_, header) => {
    expect(verifySignature(body, header, secret)).toEqual({ ok: true });
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['an empty header', '', 'missing'],
    ['the header twice', [`sha256=${hex}`, `sha256=${hex}`], 'sent more than once'],
    ['no sha256= prefix', hex, 'must be sha256= followed by 64 hex digits'],
    ['a sha1 signature', `sha1=${hex.slice(0, 40)}`, 'must be sha256= followed by 64 hex digits'],
    ['a truncated digest', `sha256=${hex.slice(0, 62)}`, 'must be sha256= followed by 64 hex digits'],
    ['a longer digest', `sha256=${hex}00`, 'must be sha256= followed by 64 hex digits'],
    [
      'one digit changed',
      `sha256=${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`,
      'does not match the body',
    ],
    [
      'another secret',
      `sha256=${createHmac('sha256', 'other').update(body).digest('hex')}`,
      'does not match the body',
    ],
  ])('refuses %s', (_, header, reason) => {
    expect(verifySignature(body, header, secret)).toEqual({ ok: false, reason });
  });

  it('refuses the signature of a re-serialised body: the raw bytes are what Meta signed', () => {
    const spaced = Buffer.from('{"object": "whatsapp_business_account", "entry": []}');
    expect(verifySignature(spaced, `sha256=${hex}`, secret)).toEqual({
      ok: false,
      reason: 'does not match the body',
    });
  });
});
