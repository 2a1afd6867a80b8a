import type { Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import type { Consumer } from '../../core/log/consumer.js';
import { defineConsumer, type TypedEvent } from '../../core/log/define-consumer.js';
import type { MessageReceivedPayload } from '../../core/log/events/message.schema.js';
import type { MessageContent } from '../../core/outbox/outbound-message.schema.js';
import { queueMessage } from '../../core/outbox/queue-message.js';

export const DEFAULT_REPLY_CONSUMER = 'automation.default-reply';

export interface DefaultReplyOptions {
  /** PARLEY_DEFAULT_REPLY: when set, every inbound message on every channel gets this text. */
  defaultReply: string | undefined;
  /** Channels that get the built-in demo reply when no default reply is configured. */
  simulatorChannels?: readonly string[];
}

/**
 * Answers each inbound message, so that a new installation shows a full round trip: the
 * reply is queued in the consumer's transaction, which also advances its cursor, so each
 * message gets exactly one reply, after a crash too. A real WhatsApp number never replies
 * unless PARLEY_DEFAULT_REPLY is set. Journeys (a later issue) take over from this.
 */
export function defaultReplyConsumer(options: DefaultReplyOptions): Consumer {
  const simulators = new Set(options.simulatorChannels ?? ['simulator']);
  // Events arrive parsed: one that does not match its schema is reported by defineConsumer
  // (last_error, /health), never skipped here.
  return defineConsumer({
    name: DEFAULT_REPLY_CONSUMER,
    types: ['message.received'],
    batchSize: 100,
    async handle(tx, events) {
      for (const event of events) {
        // Reactions are not messages to answer; an event without a channel cannot be answered.
        if (!event.channel || event.payload.message_type === 'reaction') continue;
        const content =
          options.defaultReply !== undefined
            ? ({ type: 'text', body: options.defaultReply } as const)
            : simulators.has(event.channel)
              ? simulatorReply(event.payload)
              : undefined;
        if (content) await reply(tx, event, event.payload, content);
      }
    },
  });
}

async function reply(
  tx: Tx,
  event: TypedEvent<'message.received'>,
  received: MessageReceivedPayload,
  message: MessageContent,
) {
  try {
    await queueMessage(tx, {
      channel: event.channel!,
      ...(event.contact_id ? { contact_id: event.contact_id } : { wa_id: received.wa_id }),
      message,
      attribution: { automation: 'default-reply' },
      source: 'automation',
    });
  } catch (error) {
    // An old message replayed after a long outage: its window has closed, and a free-form
    // reply may no longer be sent. Skipping it is the right answer, not a failure to retry.
    if (error instanceof AppError && error.code === 'window_closed') return;
    throw error;
  }
}

const menuButtons = [
  { id: 'menu', title: 'Menu' },
  { id: 'help', title: 'Help' },
];

/** The simulator's demo: echo with reply buttons; "Menu" opens a list; "Help" explains. */
export function simulatorReply(received: MessageReceivedPayload): MessageContent {
  const choice = received.interactive?.id ?? received.button?.payload;
  if (choice === 'menu') {
    return {
      type: 'list',
      body: 'What would you like to try?',
      button: 'Menu',
      sections: [
        {
          title: 'Parley',
          rows: [
            { id: 'about', title: 'About Parley', description: 'What this service is' },
            { id: 'help', title: 'Help', description: 'How the simulator works' },
          ],
        },
      ],
    };
  }
  if (choice === 'help') {
    return {
      type: 'text',
      body: 'This is the Parley simulator. Your messages take the same path as WhatsApp ones: a signed webhook, the event log, then this reply through the outbox. Set PARLEY_DEFAULT_REPLY to change it.',
    };
  }
  if (choice === 'about') {
    return {
      type: 'text',
      body: 'Parley runs chat services on WhatsApp: journeys, reminders, an inbox, and every event in SQL.',
    };
  }
  const said =
    received.text ?? received.interactive?.title ?? received.button?.text ?? `[${received.message_type}]`;
  const body = `Got it: ${said}`;
  return {
    type: 'buttons',
    body: body.length > 1024 ? `${body.slice(0, 1023)}…` : body,
    buttons: menuButtons,
  };
}
