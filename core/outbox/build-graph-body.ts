import type { MessageContent } from './outbound-message.schema.js';

/** The Graph API `type` of each outbound message (reply buttons and lists are both `interactive`). */
export type GraphMessageType =
  | 'text'
  | 'image'
  | 'audio'
  | 'video'
  | 'document'
  | 'sticker'
  | 'interactive'
  | 'template'
  | 'reaction'
  | 'location'
  | 'contacts';

export interface GraphBodyOptions {
  /** wamid of the message this one replies to (`context.message_id`). */
  replyTo?: string;
  /** Echoed by Meta on every status webhook of this message; we put `parley:<message id>` here. */
  callbackData: string;
}

/** Who a message goes to: a person's phone number and BSUID, either of which may be unknown. */
export interface GraphAddress {
  waId: string | null;
  bsuid: string | null;
}

/**
 * `to` (a phone number) when one is known, otherwise `recipient` (the BSUID). Never both:
 * Meta lets `to` win when both are given, and a phone number keeps phone fields in the
 * webhooks that follow.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
 */
export function graphAddress(address: GraphAddress): { to: string } | { recipient: string } {
  if (address.waId) return { to: address.waId };
  if (address.bsuid) return { recipient: address.bsuid };
  throw new Error('a person without a phone number or BSUID cannot be addressed');
}

/**
 * Builds the request body of `POST /{version}/{phone-number-id}/messages` exactly as Meta
 * documents it: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * Keys are written in a fixed order so that the stored body is stable.
 */
export function buildGraphBody(address: GraphAddress, content: MessageContent, options: GraphBodyOptions) {
  const { type, payload } = typedPayload(content);
  const body: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...graphAddress(address),
    type,
  };
  if (options.replyTo !== undefined) body.context = { message_id: options.replyTo };
  body[type] = payload;
  body.biz_opaque_callback_data = options.callbackData;
  return { type, body };
}

/** The text a person sees, for the log and the inbox (null for media without caption, etc.). */
export function displayText(content: MessageContent): string | null {
  switch (content.type) {
    case 'text':
      return content.body;
    case 'image':
    case 'video':
    case 'document':
      return content.caption ?? null;
    case 'buttons':
    case 'list':
      return content.body;
    case 'location':
      return content.name ?? null;
    default:
      return null;
  }
}

function typedPayload(content: MessageContent): { type: GraphMessageType; payload: unknown } {
  switch (content.type) {
    case 'text':
      return { type: 'text', payload: withDefined({ preview_url: content.preview_url, body: content.body }) };
    case 'image':
    case 'video':
      return { type: content.type, payload: withDefined({ ...source(content), caption: content.caption }) };
    case 'document':
      return {
        type: 'document',
        payload: withDefined({ ...source(content), caption: content.caption, filename: content.filename }),
      };
    case 'audio':
    case 'sticker':
      return { type: content.type, payload: source(content) };
    case 'buttons':
      return {
        type: 'interactive',
        payload: withDefined({
          type: 'button',
          header: content.header === undefined ? undefined : { type: 'text', text: content.header },
          body: { text: content.body },
          footer: content.footer === undefined ? undefined : { text: content.footer },
          action: {
            buttons: content.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })),
          },
        }),
      };
    case 'list':
      return {
        type: 'interactive',
        payload: withDefined({
          type: 'list',
          header: content.header === undefined ? undefined : { type: 'text', text: content.header },
          body: { text: content.body },
          footer: content.footer === undefined ? undefined : { text: content.footer },
          action: {
            button: content.button,
            sections: content.sections.map((s) =>
              withDefined({
                title: s.title,
                rows: s.rows.map((r) =>
                  withDefined({ id: r.id, title: r.title, description: r.description }),
                ),
              }),
            ),
          },
        }),
      };
    case 'template':
      return {
        type: 'template',
        payload: withDefined({
          name: content.name,
          language: { code: content.language },
          components: content.components?.map((c) =>
            c.type === 'button'
              ? { type: 'button', sub_type: c.sub_type, index: String(c.index), parameters: c.parameters }
              : { type: c.type, parameters: c.parameters },
          ),
        }),
      };
    case 'reaction':
      return { type: 'reaction', payload: { message_id: content.message_id, emoji: content.emoji } };
    case 'location':
      return {
        type: 'location',
        payload: withDefined({
          latitude: content.latitude,
          longitude: content.longitude,
          name: content.name,
          address: content.address,
        }),
      };
    case 'contacts':
      return { type: 'contacts', payload: content.contacts };
  }
}

function source(media: { link?: string; id?: string }) {
  return media.id !== undefined ? { id: media.id } : { link: media.link };
}

/** Drops undefined keys so the JSON body has no `"key": undefined` holes. */
function withDefined(object: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
