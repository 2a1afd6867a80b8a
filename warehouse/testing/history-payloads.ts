/**
 * Payload builders for generated histories, shaped like ingest and the sender write them
 * (ingest/whatsapp/normalise-message.ts, core/outbox/build-graph-body.ts).
 */
export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const words = [
  'hello',
  'yes',
  'no',
  'clinic',
  'appointment',
  'thanks',
  'when',
  'help',
  'stop',
  'baby',
  'vaccine',
];

export function sentence(random: Random): string {
  const n = 1 + Math.floor(random() * 8);
  return Array.from({ length: n }, () => pick(random, words)).join(' ');
}

export function inboundContent(
  random: Random,
  wamid: string,
): { type: string; content: Record<string, unknown> } {
  const roll = random();
  if (roll < 0.55) return { type: 'text', content: { text: sentence(random) } };
  if (roll < 0.65) {
    const type = pick(random, ['image', 'audio', 'video', 'document', 'sticker']);
    const media: Record<string, unknown> = { id: `media-${wamid}`, mime_type: `${type}/x`, sha256: 'abc' };
    if (type === 'image' || type === 'video') media.caption = sentence(random);
    if (type === 'document') media.filename = 'file.pdf';
    return { type, content: { media } };
  }
  if (roll < 0.77) {
    const type = pick(random, ['button_reply', 'list_reply']);
    const title = pick(random, ['Yes', 'No', 'Later', 'Option "A"']);
    return {
      type: 'interactive',
      content: { text: title, interactive: { type, id: `opt-${title.length}`, title } },
    };
  }
  if (roll < 0.83)
    return {
      type: 'button',
      content: { text: 'Remind me', button: { payload: 'REMIND', text: 'Remind me' } },
    };
  if (roll < 0.87)
    return { type: 'location', content: { location: { latitude: -1.28 + random(), longitude: 36.8 } } };
  if (roll < 0.92)
    return { type: 'reaction', content: { reaction: { message_id: 'wamid.some', emoji: '👍' } } };
  if (roll < 0.94) return { type: 'system', content: { text: 'user changed number' } };
  return { type: 'text', content: { text: `multi\nline, "quoted" text ${sentence(random)}` } };
}

export function outboundContent(random: Random, waId: string, messageId: number) {
  const roll = random();
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: waId };
  const callback = { biz_opaque_callback_data: `parley:${messageId}` };
  if (roll < 0.5) {
    const text = sentence(random);
    return { type: 'text', text, body: { ...base, type: 'text', text: { body: text }, ...callback } };
  }
  if (roll < 0.75) {
    const template = {
      name: pick(random, ['welcome', 'reminder_v2', 'survey']),
      language: pick(random, ['en', 'sw']),
    };
    const body = {
      ...base,
      type: 'template',
      template: { name: template.name, language: { code: template.language } },
      ...callback,
    };
    return { type: 'template', text: null, template, body };
  }
  if (roll < 0.85) {
    const caption = sentence(random);
    return {
      type: 'image',
      text: caption,
      body: { ...base, type: 'image', image: { link: 'https://x.test/a.png', caption }, ...callback },
    };
  }
  const text = sentence(random);
  const interactive = { type: 'button', body: { text }, action: { buttons: [] } };
  return { type: 'interactive', text, body: { ...base, type: 'interactive', interactive, ...callback } };
}

export function attribution(random: Random): Record<string, string> | undefined {
  const roll = random();
  if (roll < 0.3) return { journey_id: `journey-${Math.floor(random() * 5)}` };
  if (roll < 0.5) return { reminder_id: `reminder-${Math.floor(random() * 3)}` };
  if (roll < 0.7) return { operator_id: `user-${Math.floor(random() * 4)}` };
  if (roll < 0.8) return { automation: 'default_reply' };
  return undefined;
}

export function statusPayload(
  random: Random,
  status: string,
  messageId: string | null,
  wamid: string | null,
  at: Date,
) {
  const payload: Record<string, unknown> = {
    message_id: messageId,
    external_id: wamid,
    status,
    timestamp: at.toISOString(),
  };
  if (status === 'sent' || status === 'delivered') {
    payload.pricing = {
      billable: random() < 0.7,
      pricing_model: 'PMP',
      category: pick(random, ['service', 'marketing', 'utility']),
      type: 'regular',
    };
    payload.conversation = { id: `conv-${wamid}`, origin_type: 'service' };
  }
  if (status === 'failed')
    payload.errors = [
      {
        code: pick(random, [131047, 131026, 0]),
        title: 'Re-engagement message',
        message: 'More than 24 hours',
      },
    ];
  return payload;
}
