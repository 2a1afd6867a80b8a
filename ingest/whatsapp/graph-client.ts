import type { Channel } from '../channels.js';

/**
 * One `POST /{version}/{phone-number-id}/messages` call to the Graph API (or the fake),
 * classified for the sender: accepted, retryable, or permanent.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */
export type GraphSendResult =
  | { kind: 'ok'; wamid: string | null; messageStatus: string | undefined }
  | ({ kind: 'error' } & GraphSendError);

export interface GraphSendError {
  retryable: boolean;
  /** HTTP status, or null when no answer came (network error, timeout). */
  httpStatus: number | null;
  /** Meta's error code, or null when there was none. */
  code: number | null;
  title: string;
  message: string;
}

/**
 * Meta codes worth another try whatever the HTTP status: throughput (130429), pair and
 * spam rate limits (131056, 131048), app and account rate limits (4, 80007), temporary
 * errors (1, 2, 131016 service unavailable, 131000 something went wrong).
 */
export const retryableCodes: ReadonlySet<number> = new Set([
  1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056,
]);

/** `expect` says what a success looks like: a wamid for a message, `success: true` for a read receipt. */
export async function sendToGraph(
  channel: Channel,
  body: unknown,
  expect: 'message' | 'mark_read' = 'message',
): Promise<GraphSendResult> {
  const url = `${channel.graphUrl.replace(/\/+$/, '')}/${channel.apiVersion}/${channel.phoneNumberId}/messages`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${channel.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(channel.sendTimeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      kind: 'error',
      retryable: true,
      httpStatus: null,
      code: null,
      title: timedOut ? 'timeout' : 'network error',
      message: timedOut ? `no answer within ${channel.sendTimeoutMs} ms` : describe(error),
    };
  }
  const json = parse(text);
  if (response.ok) {
    const answer = json as {
      messages?: { id?: unknown; message_status?: unknown }[];
      success?: unknown;
    } | null;
    const message = answer?.messages?.[0];
    if (expect === 'message' && typeof message?.id === 'string') {
      const messageStatus = typeof message.message_status === 'string' ? message.message_status : undefined;
      return { kind: 'ok', wamid: message.id, messageStatus };
    }
    if (expect === 'mark_read' && answer?.success === true) {
      return { kind: 'ok', wamid: null, messageStatus: undefined };
    }
    // A 2xx we cannot read: whether Meta sent it is unknown, so retry (at least once).
    return {
      kind: 'error',
      retryable: true,
      httpStatus: response.status,
      code: null,
      title: 'unexpected response',
      message: text.slice(0, 500),
    };
  }
  const error = (
    json as { error?: { code?: unknown; message?: unknown; error_data?: { details?: unknown } } } | null
  )?.error;
  const code = typeof error?.code === 'number' ? error.code : null;
  const title = typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`;
  const details = error?.error_data?.details;
  return {
    kind: 'error',
    retryable:
      response.status === 429 || response.status >= 500 || (code !== null && retryableCodes.has(code)),
    httpStatus: response.status,
    code,
    title,
    message: typeof details === 'string' ? details : title,
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code
    ? `${error.message} (${cause.code})`
    : cause?.message
      ? `${error.message}: ${cause.message}`
      : error.message;
}
