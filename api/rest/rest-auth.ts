import type { FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import type { Actor } from '../auth/actor.js';
import { actorFromApiToken } from '../auth/api-tokens.js';
import type { Permission } from '../auth/permissions.js';

/**
 * REST callers authenticate with `Authorization: Bearer prl_...` only: no cookies, so a
 * browser session can never be used cross-site against /v1.
 */
export async function authenticateBearer(
  db: Db,
  request: FastifyRequest,
  permission: Permission,
): Promise<Actor> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw new AppError('unauthorized', 'send an API token: Authorization: Bearer prl_...');
  const actor = await actorFromApiToken(db, match[1]!);
  if (!actor)
    throw new AppError(
      'unauthorized',
      'this API token is unknown, revoked or expired, or its member was deactivated',
    );
  if (!actor.permissions.has(permission)) {
    throw new AppError('forbidden', `this token lacks the ${permission} scope`, [
      { field: 'scopes', reason: `needs ${permission}` },
    ]);
  }
  return actor;
}
