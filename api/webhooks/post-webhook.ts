import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkWebhookDestination, type LookupAll } from './ssrf-guard.js';

export interface PostResult {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

/** Bytes of the receiver's answer kept with the attempt, for the delivery log. */
const EXCERPT_BYTES = 1024;

/**
 * POSTs one webhook with node's http/https. The destination is checked again here, after
 * DNS resolution, and the socket connects to the checked address (the `lookup` option), so a
 * name that later resolves elsewhere cannot redirect the request. Redirects are not followed:
 * a 3xx is a failed attempt. Any network error or timeout is returned, never thrown.
 */
export async function postWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { allowLocal: boolean; lookup?: LookupAll; timeoutMs: number },
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let checked: Awaited<ReturnType<typeof checkWebhookDestination>>;
  try {
    // Resolution counts against the attempt's deadline: a slow resolver cannot hold a worker.
    checked = await checkWebhookDestination(target, { ...options, lookupTimeoutMs: options.timeoutMs });
  } catch (error) {
    return { statusCode: null, latencyMs: elapsed(), error: (error as Error).message, responseExcerpt: null };
  }
  const { url, addresses } = checked;
  const pinned = addresses[0]!;
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: elapsed() });
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        lookup,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Parley-Webhooks/1',
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
          const ok = status >= 200 && status < 300;
          const error = ok
            ? null
            : status >= 300 && status < 400
              ? `redirect to ${response.headers.location ?? '(no location)'} not followed`
              : `receiver answered ${status}`;
          finish({ statusCode: status, error, responseExcerpt: excerpt || null });
        });
        response.on('error', (error) =>
          finish({ statusCode: response.statusCode ?? null, error: error.message, responseExcerpt: null }),
        );
      },
    );
    const timer = setTimeout(
      () => {
        request.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
      },
      Math.max(1, options.timeoutMs - elapsed()),
    );
    request.on('error', (error) => finish({ statusCode: null, error: error.message, responseExcerpt: null }));
    request.end(body);
  });
}
