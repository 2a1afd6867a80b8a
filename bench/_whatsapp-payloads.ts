// Realistic WhatsApp Cloud API webhook bodies for benchmarks, written from Meta's reference
// (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components).
import { randomBytes } from 'node:crypto';

const phoneNumberId = 'bench-phone-number';

function envelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

const wamid = () => `wamid.${randomBytes(24).toString('base64url')}`;
const waId = (n: number) => String(27_820_000_000 + n);
const now = () => String(Math.floor(Date.now() / 1000));

function inbound(contact: number, message: Record<string, unknown>) {
  return envelope({
    contacts: [{ profile: { name: `Person ${contact}` }, wa_id: waId(contact) }],
    messages: [{ from: waId(contact), id: wamid(), timestamp: now(), ...message }],
  });
}

const kinds: ((contact: number) => unknown)[] = [
  (c) =>
    inbound(c, { type: 'text', text: { body: `Hello, I would like to know more about clinic hours ${c}` } }),
  (c) => inbound(c, { type: 'text', text: { body: 'yes' } }),
  (c) =>
    inbound(c, {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'opt-in', title: 'Yes, remind me' } },
      context: { from: '15550783881', id: wamid() },
    }),
  (c) =>
    inbound(c, {
      type: 'image',
      image: {
        caption: 'my card',
        mime_type: 'image/jpeg',
        sha256: randomBytes(32).toString('base64'),
        id: '1479537139650973',
      },
    }),
  (c) =>
    inbound(c, {
      type: 'interactive',
      interactive: {
        type: 'list_reply',
        list_reply: { id: 'district-3', title: 'North', description: 'Northern district' },
      },
    }),
  (c) =>
    inbound(c, {
      type: 'location',
      location: { latitude: -33.92, longitude: 18.42, name: 'Clinic', address: 'Main Rd' },
    }),
];

/** A status batch like Meta sends after a reminder: many statuses in one webhook. */
function statusBatch(size: number, startContact: number) {
  const statuses = Array.from({ length: size }, (_, i) => ({
    id: wamid(),
    status: i % 3 === 0 ? 'read' : 'delivered',
    timestamp: now(),
    recipient_id: waId(startContact + i),
    conversation: { id: randomBytes(16).toString('hex'), origin: { type: 'utility' } },
    pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
  }));
  return envelope({ statuses });
}

/**
 * The mix: two thirds single inbound messages of various types, one third status batches of
 * 5-20 statuses. Contacts are drawn from a population so most are already known.
 */
export function benchPayload(i: number, population: number): unknown {
  const contact = (i * 7919) % population;
  if (i % 3 === 2) return statusBatch(5 + (i % 16), contact);
  return kinds[i % kinds.length]!(contact);
}

export const benchPhoneNumberId = phoneNumberId;
