import type { FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import type { Actor } from '../auth/actor.js';
import type { Permission } from '../auth/permissions.js';
import { readSessionCookie } from '../auth/session-cookie.js';
import { actorFromSession } from '../auth/sessions.js';
import { authenticateBearer } from './rest-auth.js';

/**
 * For the few REST routes the dashboard calls directly (CSV upload and export, which do not
 * fit tRPC): an API token as everywhere, or else the dashboard's session cookie. The cookie
 * is SameSite=Lax, so a cross-site POST never carries it; a browser's Sec-Fetch-Site is also
 * checked, so only the dashboard's own pages can upload with it.
 */
export async function authenticateBearerOrSession(
  db: Db,
  request: FastifyRequest,
  permission: Permission,
): Promise<Actor> {
  if (request.headers.authorization) return authenticateBearer(db, request, permission);
  const token = readSessionCookie(request);
  const actor = token ? await actorFromSession(db, token) : undefined;
  if (!actor)
    throw new AppError('unauthorized', 'send an API token (Authorization: Bearer prl_...) or sign in');
  const site = request.headers['sec-fetch-site'];
  if (request.method !== 'GET' && site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new AppError('forbidden', 'cross-site requests cannot use the session cookie');
  }
  if (!actor.permissions.has(permission)) {
    throw new AppError('forbidden', `this needs the ${permission} permission, which your role does not have`);
  }
  return actor;
}
