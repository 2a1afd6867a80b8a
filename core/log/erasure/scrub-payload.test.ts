import { describe, expect, it } from 'vitest';
import { scrubIdempotencyKey, scrubPayload } from './scrub-payload.js';

/** Stands for the keyed hash (identifier-hash.ts), readable in the expected values. */
const hashWamid = (wamid: string) => `hmac:wamid:${wamid}`;

const cases: { name: string; type: string; version?: number; payload: unknown; scrubbed: unknown }[] = [
  {
    name: 'an inbound message keeps ids, type, time, reply ids and errors; loses number, text, media, location, titles, raw',
    type: 'message.received',
    payload: {
      message_id: '1',
      external_id: 'wamid.1',
      wa_id: '254700000001',
      profile_name: 'Jane',
      message_type: 'interactive',
      timestamp: '2026-11-25T10:00:00Z',
      text: 'hi',
      media: {
        id: 'm',
        url: 'https://x',
        mime_type: 'image/png',
        caption: 'me',
        filename: 'me.png',
        sha256: 'h',
      },
      interactive: { type: 'list_reply', id: 'r1', title: 'Kisumu', description: 'd', response_json: '{}' },
      button: { payload: 'p', text: 'Yes' },
      location: { latitude: 1, longitude: 2, name: 'home', address: 'a', url: 'u' },
      reaction: { message_id: 'wamid.0', emoji: '❤' },
      context: { message_id: 'wamid.0', from: '254700000001', forwarded: true },
      referral: { source_url: 'https://ad' },
      errors: [{ code: 131051, title: 'Unsupported' }],
      raw: { from: '254700000001' },
    },
    scrubbed: {
      message_id: '1',
      external_id: 'hmac:wamid:wamid.1',
      message_type: 'interactive',
      timestamp: '2026-11-25T10:00:00Z',
      media: { mime_type: 'image/png' },
      interactive: { type: 'list_reply', id: 'r1' },
      button: { payload: 'p' },
      reaction: { message_id: 'hmac:wamid:wamid.0' },
      context: { message_id: 'hmac:wamid:wamid.0', forwarded: true },
      errors: [{ code: 131051, title: 'Unsupported' }],
    },
  },
  {
    name: 'an outbound message keeps template, attribution and the body shape; loses number, text and content',
    type: 'message.queued',
    payload: {
      message_id: '2',
      wa_id: '254700000001',
      message_type: 'template',
      text: 'Hello Jane',
      template: { name: 'welcome', language: 'en' },
      attribution: { reminder_id: '4' },
      body: {
        messaging_product: 'whatsapp',
        to: '254700000001',
        type: 'template',
        template: { name: 'welcome', components: [{ parameters: [{ text: 'Jane' }] }] },
        context: { message_id: 'wamid.0' },
      },
    },
    scrubbed: {
      message_id: '2',
      message_type: 'template',
      template: { name: 'welcome', language: 'en' },
      attribution: { reminder_id: '4' },
      body: {
        messaging_product: 'whatsapp',
        type: 'template',
        context: { message_id: 'hmac:wamid:wamid.0' },
      },
    },
  },
  {
    name: 'a status keeps status, pricing and conversation; loses the recipient and raw',
    type: 'message.status',
    payload: {
      message_id: '2',
      external_id: 'wamid.2',
      status: 'read',
      timestamp: '2026-11-25T10:00:00Z',
      recipient_id: '254700000001',
      pricing: { billable: true, category: 'utility' },
      raw: { recipient_id: '254700000001' },
    },
    scrubbed: {
      message_id: '2',
      external_id: 'hmac:wamid:wamid.2',
      status: 'read',
      timestamp: '2026-11-25T10:00:00Z',
      pricing: { billable: true, category: 'utility' },
    },
  },
  {
    name: 'contact.updated keeps field keys, opt_in and blocked values, and who',
    type: 'contact.updated',
    payload: {
      changes: {
        name: { from: 'Jane', to: 'Janet' },
        labels: { from: [], to: ['x'] },
        opt_in: { from: 'unknown', to: 'opted_out' },
        blocked: { from: false, to: true },
      },
      by: 'user:1',
    },
    scrubbed: {
      changes: {
        name: {},
        labels: {},
        opt_in: { from: 'unknown', to: 'opted_out' },
        blocked: { from: false, to: true },
      },
      by: 'user:1',
    },
  },
  {
    name: 'contact.created keeps only the channel',
    type: 'contact.created',
    payload: { wa_id: '254700000001', name: 'Jane', channel: 'whatsapp' },
    scrubbed: { channel: 'whatsapp' },
  },
  {
    name: 'an operator action keeps who did what, not its details',
    type: 'operator.action',
    payload: {
      actor: { kind: 'user', id: '1', email: 'a@b' },
      action: 'pii.reveal',
      target: { kind: 'contact', id: '7' },
      details: { reason: 'called 254700000001' },
    },
    scrubbed: {
      actor: { kind: 'user', id: '1' },
      action: 'pii.reveal',
      target: { kind: 'contact', id: '7' },
    },
  },
  {
    name: 'an unknown type keeps nothing',
    type: 'simulator.reset',
    payload: { wa_id: '254700000001' },
    scrubbed: { erased: true },
  },
  {
    name: 'a newer schema version of a known type keeps nothing',
    type: 'message.sent',
    version: 2,
    payload: { message_id: '2', to: '254700000001' },
    scrubbed: { erased: true },
  },
  {
    name: 'a payload that is not an object keeps nothing',
    type: 'message.sent',
    payload: 'x',
    scrubbed: { erased: true },
  },
];

describe('scrubPayload', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(scrubPayload(c.type, c.version ?? 1, c.payload, hashWamid)).toEqual(c.scrubbed);
    });
  }

  it('drops wamids when no hash is given, and never hashes a hash again', () => {
    const payload = { message_id: '2', external_id: 'wamid.2', status: 'read' };
    expect(scrubPayload('message.status', 1, payload)).toEqual({ message_id: '2', status: 'read' });
    const hashed = { ...payload, external_id: 'hmac:wamid:abc' };
    expect(scrubPayload('message.status', 1, hashed, hashWamid)).toEqual(hashed);
  });
});

describe('scrubIdempotencyKey', () => {
  it('keeps keys made of ids only, hashes the wamid of message and status keys, and replaces any other by the event id', () => {
    const keys = [
      ['1', 'msg:wamid.X'],
      ['2', 'status:wamid.X:read'],
      ['3', 'sent:42'],
      ['4', 'contact:254700000001'],
      ['5', 'contact-name:254700000001:1764000000000'],
      ['6', null],
      ['7', 'msg:hmac:wamid:abc'],
    ];
    expect(keys.map(([id, key]) => scrubIdempotencyKey(id!, key ?? null, hashWamid))).toEqual([
      'msg:hmac:wamid:wamid.X',
      'status:hmac:wamid:wamid.X:read',
      'sent:42',
      'erased:4',
      'erased:5',
      null,
      'msg:hmac:wamid:abc',
    ]);
    // Without a hash, a key holding a wamid may not stay.
    expect(scrubIdempotencyKey('1', 'msg:wamid.X')).toBe('erased:1');
  });
});
