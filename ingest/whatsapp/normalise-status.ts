import type { MessageStatusPayload } from '../../core/log/events/message.schema.js';
import { messageStatusSchema } from './message-status.schema.js';
import { normaliseError, type PayloadIssue } from './normalise-message.js';

/** One delivery status of a message we sent, channel-agnostic, ready to store. */
export interface InboundStatus {
  externalId: string;
  status: string;
  occurredAt: Date;
  /** Our message id, when biz_opaque_callback_data carries `parley:<id>` (the sender sets it). */
  parleyMessageId: string | null;
  error: { code: number; title: string | null } | null;
  /** Who it was sent to, as the status names them (not for group messages). */
  recipient: { phone: string | null; bsuid: string | null; parentBsuid: string | null } | null;
  payload: Omit<MessageStatusPayload, 'message_id'>;
}

export type NormaliseStatusResult =
  | { ok: true; status: InboundStatus }
  | { ok: false; issues: PayloadIssue[] };

// bigint holds 18 decimal digits safely; anything longer cannot be one of our ids.
const parleyCallbackData = /^parley:(\d{1,18})$/;

/** Validates one element of `value.statuses` and turns it into the `message.status` payload. */
export function normaliseStatus(raw: unknown): NormaliseStatusResult {
  const parsed = messageStatusSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const s = parsed.data;
  const errors = s.errors?.map(normaliseError);
  const firstError = errors?.[0];
  const conversation = s.conversation && {
    ...(s.conversation.id !== undefined && { id: s.conversation.id }),
    ...(s.conversation.origin?.type !== undefined && { origin_type: s.conversation.origin.type }),
    ...(s.conversation.expiration_timestamp && {
      expiration_timestamp: s.conversation.expiration_timestamp.toISOString(),
    }),
  };
  const payload: Omit<MessageStatusPayload, 'message_id'> = {
    external_id: s.id,
    status: s.status,
    timestamp: s.timestamp.toISOString(),
    ...(s.recipient_id !== undefined && { recipient_id: s.recipient_id }),
    ...(s.recipient_user_id !== undefined && { recipient_user_id: s.recipient_user_id }),
    ...(s.recipient_parent_user_id !== undefined && { recipient_parent_user_id: s.recipient_parent_user_id }),
    ...(errors && { errors }),
    ...(conversation && { conversation }),
    ...(s.pricing && { pricing: pickPricing(s.pricing) }),
    ...(s.biz_opaque_callback_data !== undefined && { biz_opaque_callback_data: s.biz_opaque_callback_data }),
    raw: raw as Record<string, unknown>,
  };
  const match = s.biz_opaque_callback_data ? parleyCallbackData.exec(s.biz_opaque_callback_data) : null;
  return {
    ok: true,
    status: {
      externalId: s.id,
      status: s.status,
      occurredAt: s.timestamp,
      parleyMessageId: match?.[1] ?? null,
      error: firstError ? { code: firstError.code, title: firstError.title ?? null } : null,
      recipient:
        s.recipient_type === 'group' || (!s.recipient_id && !s.recipient_user_id)
          ? null
          : {
              phone: s.recipient_id ?? null,
              bsuid: s.recipient_user_id ?? null,
              parentBsuid: s.recipient_parent_user_id ?? null,
            },
      payload,
    },
  };
}

function pickPricing(pricing: NonNullable<MessageStatusPayload['pricing']>) {
  const { billable, pricing_model, category, type } = pricing;
  return Object.fromEntries(
    Object.entries({ billable, pricing_model, category, type }).filter(([, v]) => v !== undefined),
  ) as NonNullable<MessageStatusPayload['pricing']>;
}
