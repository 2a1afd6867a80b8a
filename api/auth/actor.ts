import type { Role } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import type { OperatorActor } from '../../core/log/events/operator.schema.js';
import type { Permission } from './permissions.js';

/**
 * Who is calling: a signed-in user (session cookie) or an API token (Bearer). A token acts
 * for the user who created it, with its scopes narrowed to what that user's role still allows.
 */
export interface Actor {
  kind: 'user' | 'token';
  userId: string;
  email: string;
  name: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  /** The API token's id, for token actors. */
  tokenId?: string;
  /** The session's id, for user actors: change password keeps this session and ends the others. */
  sessionId?: string;
}

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  return actor?.permissions.has(permission) ?? false;
}

export function requirePermission(actor: Actor | null | undefined, permission: Permission): Actor {
  if (!actor) throw new AppError('unauthorized', 'sign in or send an API token');
  if (!actor.permissions.has(permission)) {
    throw new AppError('forbidden', `this needs the ${permission} permission, which your role does not have`);
  }
  return actor;
}

/** The actor as recorded in operator events. */
export function auditActor(actor: Actor): OperatorActor {
  if (actor.kind === 'token')
    return { kind: 'token', id: actor.tokenId!, user_id: actor.userId, email: actor.email };
  return { kind: 'user', id: actor.userId, email: actor.email };
}
