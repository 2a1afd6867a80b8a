import { AppError } from '../../core/errors.js';

/**
 * Where templates are managed: the WhatsApp Business Account and the Graph API (Meta's or
 * the fake's) with its token. Template management is per business account, not per number.
 */
export interface TemplateAccount {
  /** The channel that sends this account's templates. */
  channel: string;
  wabaId: string;
  graphUrl: string;
  apiVersion: string;
  accessToken: string;
  timeoutMs: number;
}

/**
 * One call to the Business Management API; Meta's errors become AppErrors a person can act on:
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates
 * https://developers.facebook.com/docs/graph-api/guides/error-handling
 */
export async function callMeta(
  account: TemplateAccount,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const url = `${account.graphUrl.replace(/\/+$/, '')}/${account.apiVersion}/${path}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${account.accessToken}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(account.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new AppError('unavailable', `the Graph API did not answer: ${(error as Error).message}`, [], {
      cause: error,
    });
  }
  const json = parseJson(text);
  if (response.ok && json) return json;
  throw metaError(response.status, json);
}

interface MetaErrorBody {
  message?: unknown;
  code?: unknown;
  error_subcode?: unknown;
  error_user_msg?: unknown;
  error_data?: { details?: unknown };
}

function metaError(status: number, json: Record<string, unknown> | null): AppError {
  const e = (json?.error ?? {}) as MetaErrorBody;
  const code = typeof e.code === 'number' ? e.code : null;
  const subcode = typeof e.error_subcode === 'number' ? e.error_subcode : null;
  const said = [e.error_user_msg, e.error_data?.details, e.message].find((x) => typeof x === 'string') as
    | string
    | undefined;
  const detail = `Meta answered ${status}${code === null ? '' : ` (code ${code}${subcode ? `/${subcode}` : ''})`}: ${said ?? 'no message'}`;
  // 2388024: a template with this name and language already exists in the account.
  if (subcode === 2388024)
    return new AppError('conflict', detail, [{ field: 'name', reason: said ?? detail }]);
  if (status === 401 || code === 190) {
    return new AppError(
      'unavailable',
      `Meta refused the access token; check WHATSAPP_ACCESS_TOKEN. ${detail}`,
    );
  }
  if (status === 404) return new AppError('not_found', detail);
  if (status === 429 || status >= 500 || code === 4 || code === 80008)
    return new AppError('unavailable', detail);
  return new AppError('validation_failed', detail, [{ field: 'template', reason: said ?? detail }]);
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
