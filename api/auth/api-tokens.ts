import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError } from '../../core/errors.js';
import type { Actor } from './actor.js';
import { audit } from './audit.js';
import { isPermission, type Permission, rolePermissions } from './permissions.js';
import { hashToken, secretToken } from './secret-token.js';

/** Secrets look like `prl_<43 base64url chars>`; the prefix lets secret scanners spot leaks. */
export const API_TOKEN_PREFIX = 'prl_';
/** last_used_at is written at most once a minute per token, so API calls stay reads. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface ApiTokenInfo {
  id: string;
  name: string;
  /** The first characters of the secret, enough to tell tokens apart. */
  token_prefix: string;
  scopes: string[];
  user_id: string;
  created_by_email: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** Creates a token whose scopes must be a subset of the creator's permissions; the secret is returned once. */
export async function createApiToken(
  db: DbOrTx,
  actor: Actor,
  input: { name: string; scopes: readonly string[]; expiresAt?: Date | null },
  now = new Date(),
): Promise<ApiTokenInfo & { token: string }> {
  const fields = input.scopes.flatMap((scope, index) => {
    if (!isPermission(scope)) return [{ field: `scopes.${index}`, reason: `unknown permission ${scope}` }];
    if (!actor.permissions.has(scope))
      return [{ field: `scopes.${index}`, reason: `you do not have ${scope}` }];
    return [];
  });
  if (input.scopes.length === 0) fields.push({ field: 'scopes', reason: 'give at least one scope' });
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    fields.push({ field: 'expiresAt', reason: 'must be in the future' });
  }
  if (fields.length > 0) {
    throw new AppError('validation_failed', fields.map((f) => `${f.field}: ${f.reason}`).join('; '), fields);
  }
  const scopes = [...new Set(input.scopes)];
  const { token, hash } = secretToken(API_TOKEN_PREFIX);
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('api_tokens')
      .values({
        name: input.name.trim(),
        token_prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
        token_hash: hash,
        scopes,
        user_id: actor.userId,
        created_at: now,
        expires_at: input.expiresAt ?? null,
      })
      .returning([
        'id',
        'name',
        'token_prefix',
        'scopes',
        'user_id',
        'created_at',
        'expires_at',
        'revoked_at',
        'last_used_at',
      ])
      .executeTakeFirstOrThrow();
    await audit(tx, actor, {
      action: 'token.create',
      target: { kind: 'api_token', id: row.id },
      details: { name: row.name, scopes, expires_at: row.expires_at?.toISOString() ?? null },
    });
    return { ...row, created_by_email: actor.email, token };
  });
}

export async function listApiTokens(db: DbOrTx): Promise<ApiTokenInfo[]> {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.token_prefix',
      'api_tokens.scopes',
      'api_tokens.user_id',
      'users.email as created_by_email',
      'api_tokens.created_at',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
    ])
    .orderBy('api_tokens.id', 'desc')
    .execute();
}

export async function revokeApiToken(db: DbOrTx, actor: Actor, tokenId: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!row)
      throw new AppError('not_found', `no active token ${tokenId}`, [
        { field: 'tokenId', reason: 'no such active token' },
      ]);
    await audit(tx, actor, {
      action: 'token.revoke',
      target: { kind: 'api_token', id: row.id },
      details: { name: row.name },
    });
  });
}

/**
 * The actor for a Bearer secret, or undefined when it is unknown, revoked, expired or its
 * creator is deactivated. Its permissions are its scopes that the creator's role still has.
 */
export async function actorFromApiToken(
  db: DbOrTx,
  token: string,
  now = new Date(),
): Promise<Actor | undefined> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.scopes',
      'api_tokens.expires_at',
      'api_tokens.last_used_at',
      'users.id',
      'users.email',
      'users.name',
      'users.role',
    ])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.active', '=', true)
    .executeTakeFirst();
  if (!row || (row.expires_at && row.expires_at.getTime() <= now.getTime())) return undefined;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  const allowed = new Set<string>(rolePermissions[row.role]);
  return {
    kind: 'token',
    tokenId: row.token_id,
    userId: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    permissions: new Set(row.scopes.filter((s): s is Permission => isPermission(s) && allowed.has(s))),
  };
}
