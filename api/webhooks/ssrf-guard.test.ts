import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { checkWebhookDestination, forbiddenAddressReason, type LookupAll } from './ssrf-guard.js';

describe('forbiddenAddressReason', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '169.254.1.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2001:db8::1',
    // IPv4-translated, local-use NAT64, 6to4 of private addresses, Teredo.
    '::ffff:0:7f00:1',
    '64:ff9b:1::7f00:1',
    '64:ff9b:1:ffff::808:808',
    '2002:7f00:1::',
    '2002:a00:1::1',
    '2002:a9fe:a9fe::1',
    '2001:0:4136:e378:8000:63bf:80ff:fffe',
  ])('refuses %s', (address) => {
    expect(forbiddenAddressReason(address)).toMatch(/local, private or reserved/);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeUndefined();
  });
});

describe('checkWebhookDestination', () => {
  const dns: Record<string, string[]> = {
    'hooks.example.org': ['93.184.215.14'],
    'rebind.example.org': ['93.184.215.14', '127.0.0.1'],
    'v6.example.org': ['2606:4700::1111', 'fd00::5'],
  };
  const lookup: LookupAll = async (host) => {
    const found = dns[host];
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const refusal = async (url: string, allowLocal = false) => {
    const error = await checkWebhookDestination(url, { allowLocal, lookup }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof AppError)) throw new Error(`${url} was accepted`);
    expect(error.fields.map((f) => f.field)).toEqual(['url']);
    return error.fields[0]!.reason;
  };

  it('refuses loopback, metadata and private literals, and IPv6 written in brackets', async () => {
    expect(await refusal('http://127.0.0.1:8080/hook')).toBe(
      'is not allowed: 127.0.0.1 is a local, private or reserved address',
    );
    expect(await refusal('http://169.254.169.254/latest/meta-data/')).toMatch(
      /169\.254\.169\.254 is a local/,
    );
    expect(await refusal('http://[::1]/')).toMatch(/::1 is a local/);
    expect(await refusal('http://[::ffff:127.0.0.1]/')).toMatch(/maps to 127\.0\.0\.1/);
    expect(await refusal('http://2130706433/')).toMatch(/127\.0\.0\.1 is a local/);
    expect(await refusal('http://0x7f.1/')).toMatch(/127\.0\.0\.1 is a local/);
  });

  it('refuses a name when any of its addresses is local (checked after resolution)', async () => {
    expect(await refusal('https://rebind.example.org/hook')).toBe(
      'is not allowed: rebind.example.org resolves to 127.0.0.1 is a local, private or reserved address',
    );
    expect(await refusal('https://v6.example.org/')).toMatch(/resolves to fd00::5/);
  });

  it('refuses localhost through the system resolver', async () => {
    const error = await checkWebhookDestination('http://localhost:9/hook', { allowLocal: false }).catch(
      (e: AppError) => e,
    );
    expect((error as AppError).fields[0]!.reason).toMatch(
      /^is not allowed: localhost resolves to (127\.0\.0\.1|::1)/,
    );
  });

  it('allows only ports 80 and 443, and says which setting allows local targets', async () => {
    expect(await refusal('https://hooks.example.org:8443/hook')).toBe(
      'is not allowed: port 8443; webhooks go to ports 80 and 443',
    );
    expect(await refusal('http://hooks.example.org:22/')).toBe(
      'is not allowed: port 22; webhooks go to ports 80 and 443',
    );
    const error = await checkWebhookDestination('http://127.0.0.1/hook', { allowLocal: false, lookup }).catch(
      (e: AppError) => e,
    );
    expect((error as AppError).message).toBe(
      'The webhook URL is not allowed: 127.0.0.1 is a local, private or reserved address. Set PARLEY_ALLOW_LOCAL_WEBHOOKS=true to allow local targets and any port (development only).',
    );
    for (const url of [
      'https://hooks.example.org/',
      'https://hooks.example.org:443/',
      'http://hooks.example.org:80/',
    ])
      expect((await checkWebhookDestination(url, { allowLocal: false, lookup })).addresses).toHaveLength(1);
    const local = await checkWebhookDestination('http://127.0.0.1:8080/', { allowLocal: true, lookup });
    expect(local.url.port).toBe('8080');
  });

  it('gives DNS resolution a deadline', async () => {
    const never: LookupAll = () => new Promise(() => {});
    const error = await checkWebhookDestination('https://slow.example.org/', {
      allowLocal: false,
      lookup: never,
      lookupTimeoutMs: 50,
    }).catch((e: AppError) => e);
    expect((error as AppError).fields).toEqual([
      { field: 'url', reason: 'host slow.example.org did not resolve within 50 ms' },
    ]);
  });

  it('refuses other schemes, bad URLs and unknown hosts', async () => {
    expect(await refusal('ftp://hooks.example.org/')).toBe('must use http or https');
    expect(await refusal('not a url')).toBe('must be an absolute http(s) URL');
    expect(await refusal('https://nowhere.example.org/')).toBe(
      'host nowhere.example.org could not be resolved (ENOTFOUND)',
    );
  });

  it('accepts public destinations, and local ones only when allowed', async () => {
    const ok = await checkWebhookDestination('https://hooks.example.org/parley', {
      allowLocal: false,
      lookup,
    });
    expect(ok.addresses).toEqual([{ address: '93.184.215.14', family: 4 }]);
    const local = await checkWebhookDestination('http://127.0.0.1:8080/hook', { allowLocal: true, lookup });
    expect(local.addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });
});
