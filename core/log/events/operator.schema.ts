import { z } from 'zod';
import { defineEvent } from './envelope.js';

/**
 * Audit trail of administrative actions: member, role, token, webhook,
 * channel and setting changes and PII reveals, appended in the same transaction as the
 * change. `action` is `<area>.<verb>` (e.g. `member.invite`, `token.revoke`, `pii.reveal`);
 * later areas add their own actions without changing this shape.
 */
export const operatorActorSchema = z.object({
  kind: z.enum(['user', 'token', 'system']),
  /** User id, API token id, or a system component's name. */
  id: z.string().min(1),
  email: z.string().optional(),
  /** For a token: the user who created it. */
  user_id: z.string().optional(),
});
export type OperatorActor = z.infer<typeof operatorActorSchema>;

export const operatorActionPayloadSchema = z.object({
  actor: operatorActorSchema,
  action: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'must look like area.verb'),
  target: z.object({ kind: z.string().min(1), id: z.string().min(1) }),
  /** What changed, never a secret (tokens, passwords and webhook secrets are left out). */
  details: z.record(z.string(), z.unknown()).default({}),
});
export type OperatorActionPayload = z.infer<typeof operatorActionPayloadSchema>;

export const operatorEvents = [defineEvent('operator.action', operatorActionPayloadSchema)] as const;
