import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../api/trpc/router.js';
import { trpcMaxBatchSize } from '../../../api/trpc/trpc-limits.schema.js';

/**
 * The one tRPC client: queries and mutations batched over HTTP, subscriptions over
 * server-sent events (https://trpc.io/docs/client/links/httpSubscriptionLink). The session
 * is an httpOnly cookie, so same-origin requests carry it without any code here.
 */
export const trpc = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc' }),
      false: httpBatchLink({ url: '/trpc', maxItems: trpcMaxBatchSize }),
    }),
  ],
});

export type Outputs = inferRouterOutputs<AppRouter>;

export interface FieldError {
  field: string;
  reason: string;
}

/** The server's message, or a plain one when the server could not be reached. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof Error) return error.message;
  return 'something went wrong';
}

/** Per-field reasons from an AppError or a zod error (data.fields). */
export function fieldErrors(error: unknown): FieldError[] {
  if (error instanceof TRPCClientError) {
    const data = error.data as { fields?: FieldError[] } | undefined;
    return data?.fields ?? [];
  }
  return [];
}

export function isUnauthorized(error: unknown): boolean {
  return (
    error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED'
  );
}
