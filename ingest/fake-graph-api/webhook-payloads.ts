import { createHmac, randomBytes } from 'node:crypto';

/**
 * Webhook bodies in Meta's exact format (Cloud API v23):
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
 */

export interface BusinessNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId: string;
}

export interface StatusError {
  code: number;
  title: string;
  message: string;
  details: string;
}

export interface StatusInput {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** The recipient's phone number, or null when the message went to their BSUID. */
  recipientId: string | null;
  recipientUserId?: string;
  at: Date;
  /** Echo of the send request's biz_opaque_callback_data, when it had one. */
  callbackData?: string;
  /** Template messages open a paid conversation; free-form replies fall in the free service window. */
  template: boolean;
  conversationId: string;
  error?: StatusError;
}

export function statusWebhook(number: BusinessNumber, s: StatusInput) {
  const status: Record<string, unknown> = {
    id: s.wamid,
    status: s.status,
    timestamp: unixSeconds(s.at),
    ...(s.recipientId !== null && { recipient_id: s.recipientId }),
    ...(s.recipientUserId !== undefined && { recipient_user_id: s.recipientUserId }),
  };
  if (s.callbackData !== undefined) status.biz_opaque_callback_data = s.callbackData;
  if (s.status === 'failed') {
    status.errors = [
      {
        code: s.error?.code ?? 131026,
        title: s.error?.title ?? 'Message undeliverable',
        message: s.error?.message ?? 'Message undeliverable',
        error_data: { details: s.error?.details ?? 'Message Undeliverable.' },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      },
    ];
  } else if (s.status !== 'read') {
    // Meta sends conversation and pricing with `sent` and with one of delivered/read.
    const category = s.template ? 'utility' : 'service';
    const conversation: Record<string, unknown> = { id: s.conversationId };
    if (s.status === 'sent')
      conversation.expiration_timestamp = unixSeconds(new Date(s.at.getTime() + 86_400_000));
    conversation.origin = { type: category };
    status.conversation = conversation;
    status.pricing = s.template
      ? { billable: true, pricing_model: 'PMP', type: 'regular', category }
      : { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category };
  }
  return envelope(number, { statuses: [status] });
}

export type InboundContent =
  | { text: string }
  | { button_reply: { id: string; title: string } }
  | { list_reply: { id: string; title: string; description?: string } }
  | { button: { payload: string; text: string } };

export interface InboundInput {
  from: string;
  name?: string;
  wamid: string;
  at: Date;
  content: InboundContent;
  /** wamid of the business message that a button or list reply answers. */
  contextId?: string;
}

export function inboundWebhook(number: BusinessNumber, m: InboundInput) {
  const message: Record<string, unknown> = {};
  if (m.contextId !== undefined) message.context = { from: number.displayPhoneNumber, id: m.contextId };
  message.from = m.from;
  message.id = m.wamid;
  message.timestamp = unixSeconds(m.at);
  const c = m.content;
  if ('text' in c) Object.assign(message, { type: 'text', text: { body: c.text } });
  else if ('button_reply' in c) {
    Object.assign(message, {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: c.button_reply },
    });
  } else if ('list_reply' in c) {
    Object.assign(message, {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: c.list_reply },
    });
  } else Object.assign(message, { type: 'button', button: c.button });
  const body = envelope(number, {
    contacts: [{ profile: { name: m.name ?? m.from }, wa_id: m.from }],
    messages: [message],
  });
  return { body, message };
}

/** X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body with the app secret. */
export function signBody(appSecret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export function newConversationId(): string {
  return randomBytes(16).toString('hex');
}

function envelope(number: BusinessNumber, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: number.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: number.displayPhoneNumber,
                phone_number_id: number.phoneNumberId,
              },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

function unixSeconds(at: Date): string {
  return String(Math.floor(at.getTime() / 1000));
}
