import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './signature.js';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"1","type":"message.received"}';
  const now = new Date('2030-01-01T00:00:00Z');
  const t = Math.floor(now.getTime() / 1000);

  it('is t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies, and refuses a changed body, another secret or an old timestamp', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body, { now })).toBe(true);
    expect(verifyWebhookSignature(secret, header, body.replace('1', '2'), { now })).toBe(false);
    expect(verifyWebhookSignature('whsec_other', header, body, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, { now: new Date(now.getTime() + 301_000) })).toBe(
      false,
    );
    expect(verifyWebhookSignature(secret, 'v1=abc', body, { now })).toBe(false);
  });
});
