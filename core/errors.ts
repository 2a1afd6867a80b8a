/**
 * One error type with a closed union of codes (CONVENTIONS.md, "Schemas and errors").
 * The HTTP layer maps codes to statuses; `fields` carries per-field reasons for bad input.
 */
export type AppErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'cross_site_request'
  | 'not_found'
  | 'conflict'
  | 'idempotency_key_reused'
  | 'window_closed'
  | 'contact_blocked'
  | 'insufficient_funds'
  | 'marketing_opted_out'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface FieldError {
  field: string;
  reason: string;
}

export const httpStatusByCode: Record<AppErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  cross_site_request: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_reused: 422,
  window_closed: 422,
  contact_blocked: 422,
  insufficient_funds: 402,
  marketing_opted_out: 422,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return httpStatusByCode[this.code];
  }

  toJSON() {
    return { code: this.code, message: this.message, fields: this.fields };
  }
}

/** Turns zod issues into field errors with a dotted path, e.g. `events.0.payload.text`. */
export function fieldErrorsFromZod(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  return issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(root)',
    reason: issue.message,
  }));
}
