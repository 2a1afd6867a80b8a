import type { AnyRouter } from '@trpc/server';
import { isPermission } from './permissions.js';

/** A declared access must be a permission of the matrix, `authenticated` or `public`. */
function validAccess(access: unknown): boolean {
  return (
    access === 'public' || access === 'authenticated' || (typeof access === 'string' && isPermission(access))
  );
}

/**
 * Paths of tRPC procedures that declare no valid access (meta.access), for the permission
 * coverage test: walks the router's flat procedure record, so nested routers are included.
 */
export function undeclaredProcedures(router: AnyRouter): string[] {
  const procedures = router._def.procedures as Record<string, { _def: { meta?: { access?: unknown } } }>;
  return Object.entries(procedures)
    .filter(([, procedure]) => !validAccess(procedure._def.meta?.access))
    .map(([path]) => path)
    .sort();
}

export interface SeenRoute {
  method: string | string[];
  url: string;
  config?: { permission?: unknown } | unknown;
}

/** Routes under `prefix` whose route config declares no valid permission. */
export function undeclaredRoutes(routes: readonly SeenRoute[], prefix = '/v1'): string[] {
  return routes
    .filter((r) => r.url === prefix || r.url.startsWith(`${prefix}/`))
    .filter((r) => !validAccess((r.config as { permission?: unknown } | undefined)?.permission))
    .map((r) => `${[r.method].flat().join(',')} ${r.url}`)
    .sort();
}
