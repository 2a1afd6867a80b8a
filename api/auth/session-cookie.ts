// Brings @fastify/cookie's request.cookies / reply.setCookie types (registered by registerApi).
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'parley_session';

/**
 * The session cookie: httpOnly (scripts cannot read it), SameSite=Lax (not sent on
 * cross-site POSTs, which blocks CSRF on tRPC mutations), Secure when the request came over
 * HTTPS or the public URL is https (behind a TLS-terminating proxy).
 */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  publicUrl: string | undefined,
  token: string,
  expiresAt: Date,
): void {
  void reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(request, publicUrl), expires: expiresAt });
}

export function clearSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  publicUrl: string | undefined,
): void {
  void reply.clearCookie(SESSION_COOKIE, cookieOptions(request, publicUrl));
}

export function readSessionCookie(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[SESSION_COOKIE];
  return value && value.length <= 200 ? value : undefined;
}

function cookieOptions(request: FastifyRequest, publicUrl: string | undefined) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https' || publicUrl?.startsWith('https:') === true,
  };
}
