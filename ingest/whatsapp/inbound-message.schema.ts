import { z } from 'zod';
import { unixSecondsSchema, webhookErrorSchema } from './webhook-payload.schema.js';

/**
 * Messages people send, one schema per `type`, after Meta's messages webhook reference:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#messages-object
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/
 * A type Meta adds later is accepted by `otherMessageSchema` and stored with its raw body.
 */

const text = z.string();
/** Ids become idempotency keys (at most 512 characters), so they are bounded well below. */
const externalId = z.string().min(1).max(256);
/** Meta's documentation examples put placeholders such as "LOCATION_LATITUDE" here. */
const numberLike = z.union([z.number(), z.string()]);

export const mediaSchema = z.looseObject({
  id: z.string().min(1),
  mime_type: text.optional(),
  sha256: text.optional(),
  caption: text.optional(),
  filename: text.optional(),
  url: text.optional(),
  /** audio: true for a voice note recorded in WhatsApp. */
  voice: z.boolean().optional(),
  /** sticker: true for an animated sticker. */
  animated: z.boolean().optional(),
});

export const messageContextSchema = z.looseObject({
  from: text.optional(),
  id: text.optional(),
  forwarded: z.boolean().optional(),
  frequently_forwarded: z.boolean().optional(),
  referred_product: z
    .looseObject({ catalog_id: text.optional(), product_retailer_id: text.optional() })
    .optional(),
});

/** Click-to-WhatsApp ads and posts. */
export const referralSchema = z.looseObject({
  source_url: text.optional(),
  source_id: text.optional(),
  source_type: text.optional(),
  headline: text.optional(),
  body: text.optional(),
  media_type: text.optional(),
  image_url: text.optional(),
  video_url: text.optional(),
  thumbnail_url: text.optional(),
  ctwa_clid: text.optional(),
});

const replyKeys = ['button_reply', 'list_reply', 'nfm_reply'] as const;

export const interactiveSchema = z
  .looseObject({
    type: z.string().min(1),
    button_reply: z.looseObject({ id: text, title: text }).optional(),
    list_reply: z.looseObject({ id: text, title: text, description: text.optional() }).optional(),
    /** A completed WhatsApp Flow; `response_json` is a JSON string. */
    nfm_reply: z
      .looseObject({ response_json: text, body: text.optional(), name: text.optional() })
      .optional(),
  })
  .superRefine((value, ctx) => {
    const key = replyKeys.find((k) => k === value.type);
    if (key && value[key] === undefined) {
      ctx.addIssue({ code: 'custom', path: [key], message: `required when type is ${key}` });
    }
  });

/** The content of each type, without the fields every message has (reused by `edit`). */
export const contentShapes = {
  text: { type: z.literal('text'), text: z.looseObject({ body: text }) },
  image: { type: z.literal('image'), image: mediaSchema },
  audio: { type: z.literal('audio'), audio: mediaSchema },
  video: { type: z.literal('video'), video: mediaSchema },
  document: { type: z.literal('document'), document: mediaSchema },
  sticker: { type: z.literal('sticker'), sticker: mediaSchema },
  location: {
    type: z.literal('location'),
    location: z.looseObject({
      latitude: numberLike,
      longitude: numberLike,
      name: text.optional(),
      address: text.optional(),
      url: text.optional(),
    }),
  },
  contacts: {
    type: z.literal('contacts'),
    contacts: z.array(
      z.looseObject({
        name: z.looseObject({ formatted_name: text.optional() }).optional(),
        phones: z.array(z.looseObject({ phone: text.optional(), wa_id: text.optional() })).optional(),
      }),
    ),
  },
  /** `interactive` is missing when Meta could not render it; the errors sit at value.errors. */
  interactive: { type: z.literal('interactive'), interactive: interactiveSchema.optional() },
  /** A quick-reply button of a template message. */
  button: { type: z.literal('button'), button: z.looseObject({ payload: text.optional(), text }) },
  /** An empty or missing emoji means the reaction was removed. */
  reaction: {
    type: z.literal('reaction'),
    reaction: z.looseObject({ message_id: z.string().min(1), emoji: text.optional() }),
  },
  order: {
    type: z.literal('order'),
    order: z.looseObject({
      catalog_id: text,
      text: text.optional(),
      product_items: z.array(
        z.looseObject({
          product_retailer_id: text,
          quantity: numberLike,
          item_price: numberLike,
          currency: text,
        }),
      ),
    }),
  },
  /** user_changed_number, customer_identity_changed, user_changed_user_id... */
  system: {
    type: z.literal('system'),
    system: z.looseObject({
      body: text.optional(),
      type: text.optional(),
      wa_id: text.optional(),
      customer: text.optional(),
      user_id: text.optional(),
      parent_user_id: text.optional(),
      previous_user_id: text.optional(),
      previous_parent_user_id: text.optional(),
    }),
  },
  unsupported: {
    type: z.literal('unsupported'),
    unsupported: z.looseObject({ type: text.optional() }).optional(),
  },
  unknown: { type: z.literal('unknown') },
  /** The person deleted a message for everyone. */
  revoke: { type: z.literal('revoke'), revoke: z.looseObject({ original_message_id: z.string().min(1) }) },
  /** The person edited a message; `message` is the new content. */
  edit: {
    type: z.literal('edit'),
    edit: z.looseObject({
      original_message_id: z.string().min(1),
      message: z.looseObject({ type: z.string().min(1) }),
    }),
  },
} as const;

/** Fields every inbound message has. `from` is missing when only a BSUID identifies the sender. */
const baseShape = {
  id: externalId,
  timestamp: unixSecondsSchema,
  from: z.string().min(1).optional(),
  from_user_id: z.string().min(1).optional(),
  from_parent_user_id: z.string().min(1).optional(),
  context: messageContextSchema.optional(),
  referral: referralSchema.optional(),
  errors: z.array(webhookErrorSchema).optional(),
};

const c = contentShapes;
export const knownMessageSchema = z.discriminatedUnion('type', [
  z.looseObject({ ...baseShape, ...c.text }),
  z.looseObject({ ...baseShape, ...c.image }),
  z.looseObject({ ...baseShape, ...c.audio }),
  z.looseObject({ ...baseShape, ...c.video }),
  z.looseObject({ ...baseShape, ...c.document }),
  z.looseObject({ ...baseShape, ...c.sticker }),
  z.looseObject({ ...baseShape, ...c.location }),
  z.looseObject({ ...baseShape, ...c.contacts }),
  z.looseObject({ ...baseShape, ...c.interactive }),
  z.looseObject({ ...baseShape, ...c.button }),
  z.looseObject({ ...baseShape, ...c.reaction }),
  z.looseObject({ ...baseShape, ...c.order }),
  z.looseObject({ ...baseShape, ...c.system }),
  z.looseObject({ ...baseShape, ...c.unsupported }),
  z.looseObject({ ...baseShape, ...c.unknown }),
  z.looseObject({ ...baseShape, ...c.revoke }),
  z.looseObject({ ...baseShape, ...c.edit }),
]);
export type KnownMessage = z.infer<typeof knownMessageSchema>;

export const knownMessageTypes: ReadonlySet<string> = new Set(Object.keys(contentShapes));

/** A type this code does not know yet: the common fields are still required. */
export const otherMessageSchema = z.looseObject({ ...baseShape, type: z.string().min(1) });
export type OtherMessage = z.infer<typeof otherMessageSchema>;

/** The new content of an edited message, when it is a type whose text or media we extract. */
export const editedContentSchema = z.discriminatedUnion('type', [
  z.looseObject(c.text),
  z.looseObject(c.image),
  z.looseObject(c.video),
  z.looseObject(c.document),
]);
