import type { NewEvent } from '../../../core/log/event.schema.js';

/** One person of the test population, as the builder tests reason about them. */
export interface PersonModel {
  id: number;
  language: string | null;
  blocked: boolean;
  age: number;
  district: string;
  nickname: string | null;
  consent: boolean;
  /** Days ago (plus half a day) of each inbound message, newest first. */
  inboundDaysAgo: number[];
  pressedYes: boolean;
  reminderR1DaysAgo: number | null;
  /**
   * Days ago of a WhatsApp system notice (the person changed number): inbound, but not
   * written by the person, so it is no reply, no activity and no message of theirs.
   */
  systemNoticeDaysAgo: number | null;
  journey1: 'completed' | 'dropped' | 'started' | null;
  journey2Completed: boolean;
}

const day = 86_400_000;

/** 60 people with deterministic profiles, messages, a reminder and journeys (see the fields above). */
export function segmentPopulation(firstId = 1, count = 60): PersonModel[] {
  return Array.from({ length: count }, (_, n) => {
    const i = n + 1;
    const messages = i % 5;
    return {
      id: firstId + n,
      language: i % 5 === 0 ? null : i % 3 === 0 ? 'sw' : 'en',
      blocked: i % 7 === 0,
      age: 10 + i,
      district: ['north', 'south', 'east'][i % 3]!,
      nickname: i % 4 === 0 ? `Ann ${i}` : null,
      consent: i % 2 === 0,
      inboundDaysAgo: Array.from({ length: messages }, (_, k) => (i % 12) + 3 * k),
      pressedYes: messages > 0 && i % 6 === 0,
      reminderR1DaysAgo: i % 4 === 1 ? 5 : null,
      systemNoticeDaysAgo: i % 4 === 1 && messages === 0 ? 1 : null,
      journey1: i % 4 === 0 ? 'completed' : i % 4 === 2 ? 'dropped' : i % 8 === 1 ? 'started' : null,
      journey2Completed: i % 3 === 0,
    };
  });
}

/** The log events that make the population, as ingest, the API and the engines append them. */
export function populationEvents(people: PersonModel[], now = Date.now()): NewEvent[] {
  const events: NewEvent[] = [];
  const ago = (days: number) => new Date(now - (days + 0.5) * day);
  let messageId = people[0]!.id * 100;
  for (const p of people) {
    const waId = `2547${String(p.id).padStart(8, '0')}`;
    const base = { contact_id: String(p.id), channel: 'whatsapp' } as const;
    events.push({
      ...base,
      type: 'contact.created',
      source: 'whatsapp',
      occurred_at: ago(60),
      payload: { wa_id: waId, name: `Person ${p.id}`, channel: 'whatsapp' },
    });
    const changes: Record<string, { from: unknown; to: unknown }> = {
      age: { from: null, to: p.age },
      district: { from: null, to: p.district },
      consent: { from: null, to: p.consent },
    };
    if (p.language) changes.language = { from: null, to: p.language };
    if (p.blocked) changes.blocked = { from: false, to: true };
    if (p.nickname) changes.nickname = { from: null, to: p.nickname };
    events.push({
      ...base,
      type: 'contact.updated',
      source: 'api',
      occurred_at: ago(59),
      payload: { changes, by: 'import:1' },
    });
    if (p.reminderR1DaysAgo !== null) {
      const id = String(++messageId);
      const at = ago(p.reminderR1DaysAgo);
      events.push({
        ...base,
        type: 'message.queued',
        source: 'engine',
        occurred_at: at,
        payload: {
          message_id: id,
          wa_id: waId,
          message_type: 'text',
          text: 'Your clinic visit is tomorrow',
          body: { type: 'text', text: { body: 'Your clinic visit is tomorrow' } },
          attribution: { reminder_id: 'R1' },
        },
      });
      events.push({
        ...base,
        type: 'message.sent',
        source: 'sender',
        occurred_at: at,
        payload: { message_id: id, external_id: `wamid.out.${id}`, attempts: 1 },
      });
    }
    // A message the person sent (or WhatsApp sent for them: a system notice), as ingest logs it.
    const received = (days: number, content: Record<string, unknown> & { message_type: string }) => {
      const id = String(++messageId);
      const at = ago(days);
      events.push({
        ...base,
        type: 'message.received',
        source: 'whatsapp',
        occurred_at: at,
        idempotency_key: `wamid.in.${id}`,
        payload: {
          message_id: id,
          external_id: `wamid.in.${id}`,
          wa_id: waId,
          timestamp: at.toISOString(),
          ...content,
          raw: { id: `wamid.in.${id}`, type: content.message_type },
        },
      });
    };
    p.inboundDaysAgo.forEach((days, k) => {
      received(
        days,
        p.pressedYes && k === 0
          ? { message_type: 'interactive', interactive: { type: 'button_reply', id: 'yes', title: 'Yes' } }
          : { message_type: 'text', text: `hello ${k}` },
      );
    });
    if (p.systemNoticeDaysAgo !== null) {
      received(p.systemNoticeDaysAgo, {
        message_type: 'system',
        text: 'User A changed from +254700000000 to +254711111111',
      });
    }
    const journey = (
      type: 'started' | 'completed' | 'dropped',
      journeyId: string,
      extra: { card_id?: string } = {},
    ) => {
      const payload = { journey_id: journeyId, run_id: `${journeyId}${p.id}`, ...extra };
      const common = { ...base, source: 'engine', occurred_at: ago(30) };
      if (type === 'dropped')
        events.push({ ...common, type: 'journey.dropped', payload: { ...payload, reason: 'timeout' } });
      else events.push({ ...common, type: `journey.${type}`, payload });
    };
    if (p.journey1) journey('started', '1');
    if (p.journey1 === 'completed') journey('completed', '1', { card_id: 'thanks' });
    if (p.journey1 === 'dropped') journey('dropped', '1', { card_id: 'ask-age' });
    if (p.journey2Completed) {
      journey('started', '2');
      journey('completed', '2');
    }
  }
  return events;
}
