import {
  attribution,
  inboundContent,
  outboundContent,
  pick,
  type Random,
  sentence,
  statusPayload,
} from './history-payloads.js';

/** An event as appended to the log (id, xid and recorded_at come from Postgres). */
export interface HistoryEvent {
  type: string;
  schema_version: number;
  occurred_at: Date;
  contact_id: number | null;
  channel: string | null;
  source: string;
  idempotency_key: string | null;
  payload: Record<string, unknown>;
}

export interface HistoryOptions {
  seed: number;
  events: number;
  startAt?: Date;
  maxContacts?: number;
  /** Added to contact and message ids, so that histories written side by side never collide. */
  idOffset?: number;
  /**
   * Chance per step of erasing a person (contact.erased; insertHistory scrubs their earlier
   * events as core/log/erase-contact.ts does). Nothing new is said about them afterwards,
   * except statuses of messages sent before. Off by default, which keeps older histories as they were.
   */
  erasures?: number;
}

/** Deterministic PRNG (mulberry32), so a failing history can be replayed from its seed. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Outbound {
  id: number;
  contactId: number;
  wamid: string;
  stage: number;
}

/**
 * A causal, realistic history of every event type: contacts, inbound messages of every
 * kind, outbound messages with sends, out-of-order and unmatched statuses and failures,
 * read receipts, profile changes, webhooks, event types the warehouse does not know yet,
 * a newer schema_version, gaps over 24 hours and timestamps that go backwards.
 */
export function* randomHistory(options: HistoryOptions): Generator<HistoryEvent> {
  const random = seededRandom(options.seed);
  const maxContacts = options.maxContacts ?? 200;
  let now = (options.startAt ?? new Date('2026-11-20T08:00:00Z')).getTime();
  let nextContact = 1 + (options.idOffset ?? 0);
  let nextMessage = 1 + (options.idOffset ?? 0);
  const contacts: number[] = [];
  const outbound: Outbound[] = [];
  const unread: { contactId: number; wamid: string }[] = [];
  const channel = 'whatsapp';
  const event = (
    type: string,
    contactId: number | null,
    payload: Record<string, unknown>,
    extra: Partial<HistoryEvent> = {},
  ): HistoryEvent => ({
    type,
    schema_version: 1,
    occurred_at: new Date(now),
    contact_id: contactId,
    channel,
    source: 'whatsapp',
    idempotency_key: null,
    payload,
    ...extra,
  });
  const waId = (contactId: number) => `2547${String(contactId).padStart(8, '0')}`;

  for (let produced = 0; produced < options.events; ) {
    now += random() < 0.002 ? 20 * 3600_000 + random() * 10 * 3600_000 : Math.floor(random() * 4000);
    const batch: HistoryEvent[] = [];
    if (options.erasures && contacts.length > 1 && random() < options.erasures) {
      const contactId = contacts.splice(Math.floor(random() * contacts.length), 1)[0]!;
      for (let i = unread.length - 1; i >= 0; i--)
        if (unread[i]!.contactId === contactId) unread.splice(i, 1);
      batch.push(
        event('contact.erased', contactId, { by: 'system', reason: 'random history' }, { source: 'api' }),
      );
      produced++;
      yield batch[0]!;
      continue;
    }
    const roll = random();
    if (contacts.length === 0 || (roll < 0.06 && contacts.length < maxContacts)) {
      const id = nextContact++;
      contacts.push(id);
      batch.push(
        event(
          'contact.created',
          id,
          { wa_id: waId(id), name: random() < 0.7 ? `Person ${id}` : null, channel },
          { idempotency_key: `contact:${waId(id)}` },
        ),
      );
    } else if (roll < 0.4) {
      const contactId = pick(random, contacts);
      const wamid = `wamid.in.${nextMessage}`;
      const { type, content } = inboundContent(random, wamid);
      const sentAt = random() < 0.05 ? now - Math.floor(random() * 3600_000) : now;
      batch.push(
        event(
          'message.received',
          contactId,
          {
            message_id: String(nextMessage++),
            external_id: wamid,
            wa_id: waId(contactId),
            profile_name: `Person ${contactId}`,
            message_type: type,
            timestamp: new Date(sentAt).toISOString(),
            ...content,
            raw: { id: wamid, type },
          },
          { idempotency_key: wamid },
        ),
      );
      if (random() < 0.5) unread.push({ contactId, wamid });
    } else if (roll < 0.6) {
      const contactId = pick(random, contacts);
      const id = nextMessage++;
      const content = outboundContent(random, waId(contactId), id);
      const payload: Record<string, unknown> = {
        message_id: String(id),
        wa_id: waId(contactId),
        message_type: content.type,
        body: content.body,
        text: content.text,
      };
      if (content.template) payload.template = content.template;
      const who = attribution(random);
      if (who) payload.attribution = who;
      batch.push(event('message.queued', contactId, payload, { source: 'api' }));
      outbound.push({ id, contactId, wamid: `wamid.out.${id}`, stage: 0 });
    } else if (roll < 0.88 && outbound.length > 0) {
      const index = Math.floor(random() * outbound.length);
      const m = outbound[index]!;
      const stamp = new Date(now - (random() < 0.1 ? Math.floor(random() * 60_000) : 0));
      if (m.stage === 0 && random() < 0.08) {
        // Meta's status webhook before the sender recorded the wamid: no message id yet.
        batch.push(event('message.status', m.contactId, statusPayload(random, 'sent', null, m.wamid, stamp)));
      } else if (m.stage === 0 && random() < 0.05) {
        batch.push(
          event('message.status', m.contactId, statusPayload(random, 'failed', String(m.id), null, stamp), {
            source: 'sender',
          }),
        );
        m.stage = 9;
      } else if (m.stage === 0) {
        batch.push(
          event(
            'message.sent',
            m.contactId,
            { message_id: String(m.id), external_id: m.wamid, attempts: 1 + Math.floor(random() * 2) },
            { source: 'sender', idempotency_key: `sent:${m.id}` },
          ),
        );
        m.stage = 1;
      } else {
        const status = pick(random, ['sent', 'delivered', 'delivered', 'read', 'read', 'failed', 'deleted']);
        batch.push(
          event(
            'message.status',
            m.contactId,
            statusPayload(random, status, random() < 0.9 ? String(m.id) : null, m.wamid, stamp),
          ),
        );
        m.stage += 1;
      }
      if (m.stage > 3) outbound.splice(index, 1);
    } else if (roll < 0.93 && unread.length > 0) {
      const { contactId, wamid } = unread.splice(Math.floor(random() * unread.length), 1)[0]!;
      batch.push(event('message.marked_read', contactId, { external_id: wamid }, { source: 'sender' }));
    } else if (roll < 0.97) {
      const contactId = pick(random, contacts);
      const field = pick(random, ['name', 'language', 'blocked', 'district', 'due_date', 'consent']);
      const to =
        field === 'blocked' || field === 'consent'
          ? random() < 0.5
          : random() < 0.15
            ? null
            : field === 'language'
              ? pick(random, ['en', 'sw', 'fr'])
              : sentence(random);
      batch.push(
        event('contact.updated', contactId, {
          changes: { [field]: { from: null, to } },
          by: pick(random, ['whatsapp', 'api', 'user-1']),
        }),
      );
    } else {
      batch.push(miscEvent(random, event, pick(random, contacts)));
    }
    for (const e of batch) {
      if (produced++ >= options.events) break;
      yield e;
    }
  }
}

function miscEvent(
  random: Random,
  event: (
    type: string,
    contactId: number | null,
    payload: Record<string, unknown>,
    extra?: Partial<HistoryEvent>,
  ) => HistoryEvent,
  contactId: number,
): HistoryEvent {
  const roll = random();
  if (roll < 0.2)
    return event('webhook.unrecognised', null, { reason: 'unknown field', raw_body: '{"object":"x"}' });
  if (roll < 0.4)
    return event('channel.update', null, {
      field: 'message_template_status_update',
      value: { event: 'APPROVED' },
    });
  if (roll < 0.5) {
    const type = pick(random, ['started', 'card_entered', 'completed', 'dropped']);
    const card = type === 'started' ? undefined : pick(random, ['welcome', 'ask-age', 'thanks']);
    const reason = type === 'dropped' ? pick(random, ['timeout', 'restarted']) : undefined;
    return event(
      `journey.${type}`,
      contactId,
      {
        journey_id: pick(random, ['1', '2']),
        run_id: String(1 + Math.floor(random() * 50)),
        card_id: card,
        reason,
      },
      { source: 'engine' },
    );
  }
  if (roll < 0.6)
    return event(
      'journey.step_entered',
      contactId,
      { journey_id: 'j1', step: sentence(random) },
      { source: 'engine' },
    );
  if (roll < 0.66)
    return event(
      'charge.created',
      contactId,
      {
        charge_id: String(1 + Math.floor(random() * 1_000_000)),
        message_id: String(1 + Math.floor(random() * 1_000_000)),
        amount_micros: pick(random, [7600, 37_900, 22_500]),
        currency: 'USD',
        category: pick(random, ['marketing', 'utility']),
        pricing_model: 'PMP',
        rate_card_id: '1',
        calling_code: pick(random, ['27', '254', '*']),
        market: 'South Africa',
        reserved_micros: 37_900,
      },
      { source: 'billing' },
    );
  if (roll < 0.7)
    return event(
      'reminder.send',
      contactId,
      {
        reminder_id: '1',
        run_id: String(1 + Math.floor(random() * 5)),
        outcome: random() < 0.8 ? 'queued' : 'skipped',
        skip_reason: null,
        message_id: String(1 + Math.floor(random() * 1_000_000)),
      },
      { source: 'engine' },
    );
  if (roll >= 0.73 && roll < 0.75) {
    // Derived from the roll alone (no further draws), so the rest of the history is unchanged.
    const n = Math.floor((roll - 0.73) * 100_000);
    const type = ['created', 'status_changed', 'updated', 'deleted'][n % 4]!;
    const common = {
      template_id: String(1 + (n % 3)),
      name: `template_${n % 3}`,
      language: 'en',
      meta_template_id: String(9000 + (n % 3)),
    };
    const payload =
      type === 'status_changed'
        ? {
            ...common,
            event: 'APPROVED',
            status: 'APPROVED',
            previous_status: 'PENDING',
            reason: null,
            category: null,
            detail: null,
            waba_id: '1',
          }
        : type === 'deleted'
          ? { ...common, by: 'user:1' }
          : {
              ...common,
              category: 'UTILITY',
              parameter_format: 'positional',
              components: [{ type: 'BODY', text: 'Hi {{1}}' }],
              status: 'PENDING',
              by: 'user:1',
            };
    return event(`template.${type}`, null, payload, { source: 'templates' });
  }
  if (roll < 0.75)
    return event(
      'operator.action',
      null,
      {
        actor: { kind: 'user', id: 'u1' },
        action: 'member.invite',
        target: { kind: 'member', id: 'm1' },
        details: {},
      },
      { source: 'api' },
    );
  if (roll < 0.9)
    return event(
      'message.received',
      contactId,
      { message_id: 'not-a-number', shape: 'v2' },
      { schema_version: 2 },
    );
  return event('contact.updated', contactId, { changes: 'not an object', by: 'api' });
}
