import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import type { Permission } from '../auth/permissions.js';
import type { ApiServices } from '../services/api-services.js';

type AnySchema = z.ZodType;
type Out<S> = S extends AnySchema ? z.output<S> : undefined;
/** A response before JSON encoding: Dates stand in for the documented date-time strings. */
type Encodable<T> = T extends string
  ? string | Date
  : T extends readonly (infer U)[]
    ? Encodable<U>[]
    : T extends object
      ? { [K in keyof T]: Encodable<T[K]> }
      : T;

/**
 * One REST route as data: Fastify registers it (api/rest/register-rest-routes.ts) and the
 * OpenAPI document describes it (api/openapi/build-document.ts) from the same schemas, so
 * the two cannot drift. Every route names the permission an API token needs.
 */
export interface RestRoute<
  P extends AnySchema | undefined = AnySchema | undefined,
  Q extends AnySchema | undefined = AnySchema | undefined,
  B extends AnySchema | undefined = AnySchema | undefined,
  R extends AnySchema | undefined = AnySchema | undefined,
> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI path, e.g. /v1/contacts/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  permission: Permission;
  params?: P;
  query?: Q;
  body?: B;
  /** The success status and its body schema (none for 204). */
  success: { status: 200 | 201 | 202 | 204; description: string; schema?: R };
  /** Error statuses this route documents besides 400, 401 and 403, which every route has. */
  errors?: readonly (404 | 409 | 413 | 422 | 503)[];
  handler(input: {
    params: Out<P>;
    query: Out<Q>;
    body: Out<B>;
    actor: Actor;
    services: ApiServices;
    request: FastifyRequest;
  }): Promise<R extends AnySchema ? Encodable<z.input<R>> : undefined>;
}

export function defineRoute<
  P extends AnySchema | undefined = undefined,
  Q extends AnySchema | undefined = undefined,
  B extends AnySchema | undefined = undefined,
  R extends AnySchema | undefined = undefined,
>(route: RestRoute<P, Q, B, R>): RestRoute {
  return route as unknown as RestRoute;
}
