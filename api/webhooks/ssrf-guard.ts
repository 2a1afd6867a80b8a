import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../core/errors.js';

/**
 * Server-side request forgery guard for outbound webhooks (OWASP SSRF
 * cheat sheet): an integrator's URL must not reach our own network. A destination is refused when its host, or any address its name
 * resolves to, is loopback, private (RFC 1918, ULA), shared (CGNAT), link-local (including
 * the cloud metadata address 169.254.169.254), unspecified, multicast, reserved or
 * documentation space, also when the IPv4 address is carried inside IPv6 (IPv4-mapped,
 * IPv4-translated, NAT64 64:ff9b::/96, 6to4 2002::/16: the embedded address is checked;
 * local-use NAT64 64:ff9b:1::/48 and Teredo 2001::/32 are refused whole, since they reach
 * networks we cannot see). Only ports 80 and 443 are allowed, so a webhook cannot probe other
 * services of a public host. Checked when a subscription is saved and again at every
 * delivery, after resolution (which has its own deadline); the connection then goes to the
 * address that was checked, so a DNS answer cannot change between check and use.
 * PARLEY_ALLOW_LOCAL_WEBHOOKS=true lifts the address and port rules (tests, local development).
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
export type LookupAll = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: LookupAll = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:2::', 48],
  ['2001:10::', 28],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Why an address may not be a webhook destination, or undefined when it may. */
export function forbiddenAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4)
    return blocked.check(address, 'ipv4') ? `${address} is a local, private or reserved address` : undefined;
  if (family !== 6) return `${address} is not an IP address`;
  const embedded = embeddedIpv4(address);
  if (embedded) {
    const reason = forbiddenAddressReason(embedded);
    return reason ? `${address} maps to ${embedded}: ${reason}` : undefined;
  }
  return blocked.check(address, 'ipv6') ? `${address} is a local, private or reserved address` : undefined;
}

/**
 * Checks a destination URL and resolves it; returns the addresses that were checked, to
 * connect to. Throws validation_failed on the `url` field.
 */
export async function checkWebhookDestination(
  rawUrl: string,
  options: { allowLocal: boolean; lookup?: LookupAll; lookupTimeoutMs?: number },
): Promise<{ url: URL; addresses: ResolvedAddress[] }> {
  // The message is a sentence for people; the field reason is the bare cause, for forms.
  const refuse = (reason: string, hint = '') =>
    new AppError('validation_failed', `The webhook URL ${reason}.${hint}`, [{ field: 'url', reason }]);
  const hint =
    ' Set PARLEY_ALLOW_LOCAL_WEBHOOKS=true to allow local targets and any port (development only).';
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw refuse('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('must use http or https');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await withDeadline(
        (options.lookup ?? systemLookup)(host),
        options.lookupTimeoutMs ?? 5000,
        `host ${host} did not resolve within ${options.lookupTimeoutMs ?? 5000} ms`,
      );
    } catch (error) {
      if (error instanceof DeadlineError) throw refuse(error.message);
      throw refuse(
        `host ${host} could not be resolved (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    if (addresses.length === 0) throw refuse(`host ${host} has no addresses`);
  }
  if (!options.allowLocal) {
    for (const { address } of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason)
        throw refuse(`is not allowed: ${host === address ? '' : `${host} resolves to `}${reason}`, hint);
    }
    if (url.port !== '' && url.port !== '80' && url.port !== '443')
      throw refuse(`is not allowed: port ${url.port}; webhooks go to ports 80 and 443`, hint);
  }
  return { url, addresses };
}

class DeadlineError extends Error {}

/** The promise's value, or a DeadlineError after `ms` (the lookup itself cannot be cancelled). */
function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The IPv4 address carried inside an IPv6 address: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:AABB:CCDD::).
 */
function embeddedIpv4(address: string): string | undefined {
  const words = expandIpv6(address);
  if (!words) return undefined;
  const zero = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  const toIpv4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const mapped = zero(0, 5) && words[5] === 0xffff;
  const translated = zero(0, 4) && words[4] === 0xffff && words[5] === 0;
  const nat64 = words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6);
  if (mapped || translated || nat64) return toIpv4(words[6]!, words[7]!);
  if (words[0] === 0x2002) return toIpv4(words[1]!, words[2]!);
  return undefined;
}

function expandIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const parts = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, -v4[1]!.length)}${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const words = [...left, ...Array(fill).fill('0'), ...right].map((w) => Number.parseInt(w, 16));
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff)
    ? words
    : undefined;
}
