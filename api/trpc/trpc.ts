import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AppError, type AppErrorCode } from '../../core/errors.js';
import type { Actor } from '../auth/actor.js';
import { LoginRateLimitedError } from '../auth/login.js';
import type { Access, Permission } from '../auth/permissions.js';
import { fieldErrorsFromIssues } from '../services/parse-input.js';
import type { Context } from './context.js';

/** Every procedure declares who may call it; the permission test fails on one that does not. */
export interface ProcedureMeta {
  access?: Access;
}

const trpcCodeByAppCode: Record<AppErrorCode, TRPCError['code']> = {
  bad_request: 'BAD_REQUEST',
  validation_failed: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  cross_site_request: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  idempotency_key_reused: 'UNPROCESSABLE_CONTENT',
  window_closed: 'UNPROCESSABLE_CONTENT',
  contact_blocked: 'UNPROCESSABLE_CONTENT',
  insufficient_funds: 'PAYMENT_REQUIRED',
  marketing_opted_out: 'UNPROCESSABLE_CONTENT',
  payload_too_large: 'PAYLOAD_TOO_LARGE',
  rate_limited: 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
  internal: 'INTERNAL_SERVER_ERROR',
};

/**
 * initTRPC, once (CONVENTIONS.md, "tRPC and REST"). The error formatter adds our error code,
 * the field errors (from an AppError or zod's issues) and zod's flattened error, so the
 * dashboard shows the reason next to the field, as the REST API does.
 */
const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Stack traces and the text of unexpected errors stay in the server's log (onError);
    // `npm start` leaves NODE_ENV unset, which tRPC would otherwise treat as development.
    isDev: false,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const app = cause instanceof AppError ? cause : undefined;
      const zodError = cause instanceof z.ZodError ? cause : undefined;
      const { stack: _stack, ...data } = shape.data;
      const unexpected = error.code === 'INTERNAL_SERVER_ERROR' && cause instanceof Error && !app;
      const fields = zodError ? fieldErrorsFromIssues(zodError.issues) : [];
      // zod's own message is its issues as JSON: people get a sentence, forms get `fields`.
      const message = unexpected
        ? 'internal error'
        : zodError
          ? `Invalid input: ${fields.map((f) => `${f.field}: ${f.reason}`).join('; ')}.`
          : shape.message;
      return {
        ...shape,
        message,
        data: {
          ...data,
          appCode: app?.code ?? (zodError ? 'validation_failed' : null),
          fields: app?.fields ?? fields,
          zodError: zodError ? z.flattenError(zodError) : null,
          retryAfterSeconds: cause instanceof LoginRateLimitedError ? cause.retryAfterSeconds : null,
          // SQL and segment-query errors point at a place in the text (warehouse/sandbox/sql-error.ts).
          position: textPosition(app),
        },
      };
    },
    sse: {
      // Comments every 15 s keep proxies from closing an idle stream; the client reconnects
      // (with Last-Event-ID) when it hears nothing for 25 s.
      ping: { enabled: true, intervalMs: 15_000 },
      client: { reconnectAfterInactivityMs: 25_000 },
    },
  });

function textPosition(app: AppError | undefined): { line: number | null; column: number } | null {
  const json: Record<string, unknown> = app ? { ...app.toJSON() } : {};
  if (typeof json.column !== 'number') return null;
  return { line: typeof json.line === 'number' ? json.line : null, column: json.column };
}

/** AppErrors thrown by data functions become TRPCErrors with the matching code. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const app = result.error.cause;
    throw new TRPCError({ code: trpcCodeByAppCode[app.code], message: app.message, cause: app });
  }
  return result;
});

/** Enforces the declared access; a procedure that declares none is refused at run time too. */
const enforceAccess = t.middleware(({ ctx, meta, next }) => {
  const access = meta?.access;
  if (!access)
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'this procedure declares no access' });
  if (access === 'public') return next();
  if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  if (access !== 'authenticated' && !ctx.actor.permissions.has(access)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `this needs the ${access} permission, which your role does not have`,
    });
  }
  return next();
});

const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  return next({ ctx: { actor: ctx.actor as Actor } });
});

const base = t.procedure.use(mapAppErrors).use(enforceAccess);

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const mergeRouters = t.mergeRouters;

/** Anyone, signed in or not (sign-in, first-run setup, accepting an invite). */
export const publicProcedure = base.meta({ access: 'public' });
/** Any signed-in member, whatever their role (me, sign out, change password, live events). */
export const authedProcedure = base.meta({ access: 'authenticated' }).use(signedIn);
/** Members whose role has `permission` (the matrix in api/auth/permissions.ts). */
export function permissionProcedure(permission: Permission) {
  return base.meta({ access: permission }).use(signedIn);
}
