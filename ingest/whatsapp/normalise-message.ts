import type { z } from 'zod';
import type { MessageReceivedPayload } from '../../core/log/events/message.schema.js';
import {
  editedContentSchema,
  type KnownMessage,
  knownMessageSchema,
  knownMessageTypes,
  type mediaSchema,
  type OtherMessage,
  otherMessageSchema,
} from './inbound-message.schema.js';
import type { MessagesValue, WebhookContact, WebhookError } from './webhook-payload.schema.js';

/** One inbound message, channel-agnostic, ready to store. */
export interface InboundMessage {
  externalId: string;
  /** The sender's phone number; null when Meta shares none. Never a BSUID. */
  waId: string | null;
  bsuid: string | null;
  parentBsuid: string | null;
  username: string | null;
  /** The sender's new phone number, when a system message reports a number change (`waId` is the old one). */
  newPhone: string | null;
  /** The BSUID the sender had before, when a system message reports a change. */
  previousBsuid: string | null;
  /** The system message's type when it reports an identity change. */
  identityChange: string | null;
  profileName: string | null;
  type: string;
  occurredAt: Date;
  /** Whether it opens the 24-hour customer service window: system notices are not sent by the person. */
  opensWindow: boolean;
  payload: Omit<MessageReceivedPayload, 'message_id'>;
}

export interface PayloadIssue {
  path: PropertyKey[];
  message: string;
}

export type NormaliseResult = { ok: true; message: InboundMessage } | { ok: false; issues: PayloadIssue[] };

type Content = Partial<Omit<MessageReceivedPayload, 'message_id' | 'raw'>>;

/**
 * Validates one element of `value.messages` and turns it into the `message.received`
 * payload (without our message id, which exists only once the row is inserted). `raw` is
 * the element exactly as Meta sent it.
 */
export function normaliseMessage(raw: unknown, value: MessagesValue): NormaliseResult {
  const type = isRecord(raw) ? raw.type : undefined;
  let message: KnownMessage | OtherMessage;
  let content: Content = {};
  if (typeof type === 'string' && knownMessageTypes.has(type)) {
    const parsed = knownMessageSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, issues: parsed.error.issues };
    message = parsed.data;
    content = contentOf(parsed.data);
  } else {
    const parsed = otherMessageSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, issues: parsed.error.issues };
    message = parsed.data;
  }

  const contacts = value.contacts ?? [];
  const contact =
    contacts.find(
      (c) =>
        (message.from !== undefined && c.wa_id === message.from) ||
        (message.from_user_id !== undefined && c.user_id === message.from_user_id),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const identity = identityOf(message, contact);
  if (!identity.waId && !identity.bsuid) {
    return {
      ok: false,
      issues: [{ path: ['from'], message: 'no sender: no from, from_user_id or contact' }],
    };
  }
  const waId = identity.waId;
  const profileName = profileNameOf(contact);
  const errors = message.errors ?? value.errors;
  const payload: Omit<MessageReceivedPayload, 'message_id'> = {
    external_id: message.id,
    ...(waId && { wa_id: waId }),
    ...(identity.bsuid && { user_id: identity.bsuid }),
    ...(identity.parentBsuid && { parent_user_id: identity.parentBsuid }),
    ...(identity.username && { username: identity.username }),
    profile_name: profileName,
    message_type: message.type,
    timestamp: message.timestamp.toISOString(),
    ...content,
    ...(message.context && {
      context: compact({
        message_id: message.context.id,
        from: message.context.from,
        forwarded: message.context.forwarded,
        frequently_forwarded: message.context.frequently_forwarded,
      }),
    }),
    ...(message.referral && { referral: message.referral }),
    ...(errors && { errors: errors.map(normaliseError) }),
    raw: raw as Record<string, unknown>,
  };
  return {
    ok: true,
    message: {
      externalId: message.id,
      ...identity,
      profileName,
      type: message.type,
      occurredAt: message.timestamp,
      opensWindow: message.type !== 'system',
      payload,
    },
  };
}

type Identity = Pick<
  InboundMessage,
  'waId' | 'bsuid' | 'parentBsuid' | 'username' | 'newPhone' | 'previousBsuid' | 'identityChange'
>;

/**
 * Who sent the message, by every identifier Meta gave: the phone number (`from`, or the
 * contact's `wa_id`), the BSUID (`from_user_id`, or the contact's `user_id`), the parent
 * BSUID and the username. A system message reporting a change names the new identifiers in
 * `system` and the old ones in `from` / `system.previous_user_id`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system/
 */
function identityOf(message: KnownMessage | OtherMessage, contact: WebhookContact | undefined): Identity {
  const base: Identity = {
    waId: message.from ?? contact?.wa_id ?? null,
    bsuid: message.from_user_id ?? contact?.user_id ?? null,
    parentBsuid: message.from_parent_user_id ?? contact?.parent_user_id ?? null,
    username: contact?.username ?? null,
    newPhone: null,
    previousBsuid: null,
    identityChange: null,
  };
  if (message.type !== 'system' || !('system' in message)) return base;
  const system = message.system as Record<string, unknown>;
  const text = (key: string) =>
    typeof system[key] === 'string' && system[key] !== '' ? (system[key] as string) : null;
  const type = text('type');
  if (type === 'user_changed_number') {
    return {
      ...base,
      newPhone: text('wa_id'),
      bsuid: text('user_id') ?? base.bsuid,
      parentBsuid: text('parent_user_id') ?? base.parentBsuid,
      previousBsuid: text('previous_user_id'),
      identityChange: type,
    };
  }
  if (type === 'user_changed_user_id') {
    return {
      ...base,
      bsuid: text('user_id') ?? base.bsuid,
      parentBsuid: text('parent_user_id') ?? base.parentBsuid,
      previousBsuid: text('previous_user_id'),
      identityChange: type,
    };
  }
  return base;
}

export function normaliseError(error: WebhookError) {
  return compact({
    code: error.code,
    title: error.title,
    message: error.message,
    details: error.details ?? error.error_data?.details,
  });
}

function contentOf(m: KnownMessage): Content {
  switch (m.type) {
    case 'text':
      return { text: m.text.body };
    case 'image':
      return mediaContent(m.image);
    case 'audio':
      return mediaContent(m.audio);
    case 'video':
      return mediaContent(m.video);
    case 'document':
      return mediaContent(m.document);
    case 'sticker':
      return mediaContent(m.sticker);
    case 'location': {
      const latitude = finite(m.location.latitude);
      const longitude = finite(m.location.longitude);
      if (latitude === undefined || longitude === undefined) return {};
      const { name, address, url } = m.location;
      return { location: compact({ latitude, longitude, name, address, url }) };
    }
    case 'interactive': {
      const i = m.interactive;
      if (!i) return {};
      if (i.nfm_reply) {
        return {
          text: i.nfm_reply.body,
          interactive: { type: i.type, response_json: i.nfm_reply.response_json },
        };
      }
      const reply = i.button_reply ?? i.list_reply;
      if (!reply) return { interactive: { type: i.type } };
      const description = i.list_reply?.description;
      return {
        text: reply.title,
        interactive: compact({ type: i.type, id: reply.id, title: reply.title, description }),
      };
    }
    case 'button':
      return { text: m.button.text, button: compact({ payload: m.button.payload, text: m.button.text }) };
    case 'reaction':
      return {
        reaction: compact({ message_id: m.reaction.message_id, emoji: m.reaction.emoji || undefined }),
      };
    case 'order':
      return m.order.text ? { text: m.order.text } : {};
    case 'system':
      return m.system.body === undefined ? {} : { text: m.system.body };
    case 'edit':
      return editedContent(m.edit.message);
    default:
      return {};
  }
}

/** The new text or media of an edited message; other edited content stays in `raw` only. */
function editedContent(message: unknown): Content {
  const edited = editedContentSchema.safeParse(message);
  if (!edited.success) return {};
  const e = edited.data;
  switch (e.type) {
    case 'text':
      return { text: e.text.body };
    case 'image':
      return mediaContent(e.image);
    case 'video':
      return mediaContent(e.video);
    case 'document':
      return mediaContent(e.document);
  }
}

function mediaContent(media: z.infer<typeof mediaSchema>): Content {
  const { id, url, mime_type, sha256, caption, filename, voice, animated } = media;
  return {
    ...(caption !== undefined && { text: caption }),
    media: compact({ id, url, mime_type, sha256, caption, filename, voice, animated }),
  };
}

function profileNameOf(contact: WebhookContact | undefined): string | null {
  const name = contact?.profile?.name;
  return name === undefined || name === '' ? null : name;
}

function finite(value: number | string): number | undefined {
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops undefined fields, so stored payloads hold only what Meta sent. */
function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
