import { randomBytes } from 'node:crypto';

/**
 * Errors the fake Graph API can answer with, in Meta's envelope:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 * `{"error":{"message","type","code","error_subcode","error_data":{"messaging_product","details"},"fbtrace_id"}}`
 */
export interface GraphError {
  kind: 'graph';
  httpStatus: number;
  code: number;
  /** Meta writes the code into the message: "(#130429) Rate limit hit". */
  message: string;
  type?: string;
  subcode?: number;
  details?: string;
}

/** The fake holds the request without answering until the client gives up (a send timeout). */
export interface HangError {
  kind: 'hang';
}

/** The fake drops the connection without an answer (a network error). */
export interface DropError {
  kind: 'drop';
}

export type FakeFailure = GraphError | HangError | DropError;

export const graphErrors = {
  throughput: (): GraphError => ({
    kind: 'graph',
    httpStatus: 429,
    code: 130429,
    message: '(#130429) Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
  }),
  pairRateLimit: (): GraphError => ({
    kind: 'graph',
    httpStatus: 400,
    code: 131056,
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  }),
  internal: (): GraphError => ({
    kind: 'graph',
    httpStatus: 500,
    code: 131000,
    message: '(#131000) Something went wrong',
    details: 'Message failed to send due to an unknown error.',
  }),
  notAllowed: (): GraphError => ({
    kind: 'graph',
    httpStatus: 400,
    code: 131030,
    message: '(#131030) Recipient phone number not in allowed list',
    details:
      'Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again.',
  }),
  invalidParameter: (details: string): GraphError => ({
    kind: 'graph',
    httpStatus: 400,
    code: 100,
    message: '(#100) Invalid parameter',
    details,
  }),
  invalidToken: (): GraphError => ({
    kind: 'graph',
    httpStatus: 401,
    code: 190,
    message: 'Invalid OAuth access token - Cannot parse access token',
  }),
  unsupportedRequest: (path: string): GraphError => ({
    kind: 'graph',
    httpStatus: 400,
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    message: `Unsupported post request. Object with ID '${path}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  }),
};

/** Meta's JSON error body; error_data appears on WhatsApp errors that carry details. */
export function errorEnvelope(error: GraphError, fbtraceId = newFbtraceId()) {
  const body: Record<string, unknown> = {
    message: error.message,
    type: error.type ?? 'OAuthException',
    code: error.code,
  };
  if (error.subcode !== undefined) body.error_subcode = error.subcode;
  if (error.details !== undefined) {
    body.error_data = { messaging_product: 'whatsapp', details: error.details };
  }
  body.fbtrace_id = fbtraceId;
  return { error: body };
}

/** Looks like Meta's trace ids: 27 characters of base64url-ish noise. */
export function newFbtraceId(): string {
  return randomBytes(20).toString('base64url').slice(0, 27);
}

/** Looks like a real wamid: "wamid." followed by base64. */
export function newWamid(): string {
  return `wamid.${randomBytes(30).toString('base64')}`;
}
