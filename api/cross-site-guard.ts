import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import { SESSION_COOKIE } from './auth/session-cookie.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests that a browser sent from another site with our session
 * cookie. tRPC accepts form and text bodies (which browsers send cross-origin without a
 * preflight), and SameSite=Lax still sends the cookie from a sibling subdomain, so the cookie
 * alone proves nothing: the browser's own Sec-Fetch-Site, or else its Origin, must say the
 * request came from Parley's pages. Callers with an API token carry no ambient credential,
 * and clients that are not browsers send neither header, so both pass.
 */
export function registerCrossSiteGuard(app: FastifyInstance, options: { publicUrl?: string } = {}): void {
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  app.addHook('onRequest', async (request) => {
    if (safeMethods.has(request.method) || request.headers.authorization) return;
    const path = request.url.split('?')[0]!;
    const usesSession =
      path === '/trpc' || path.startsWith('/trpc/') || hasCookie(request.headers.cookie, SESSION_COOKIE);
    if (!usesSession) return;
    const reason = crossSiteReason(request, publicOrigin);
    if (reason) throw new AppError('cross_site_request', reason);
  });
}

function crossSiteReason(request: FastifyRequest, publicOrigin: string | undefined): string | undefined {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) {
    return site === 'same-origin' || site === 'none'
      ? undefined
      : `refused a ${site} request: signed-in changes must come from Parley's own pages`;
  }
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  const own = `${request.protocol}://${request.host}`;
  return origin === own || origin === publicOrigin
    ? undefined
    : `refused a request from ${origin}: signed-in changes must come from Parley's own pages`;
}

function hasCookie(header: string | undefined, name: string): boolean {
  return header !== undefined && header.split(';').some((part) => part.trim().startsWith(`${name}=`));
}
