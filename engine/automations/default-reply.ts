import type { Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import type { Consumer } from '../../core/log/consumer.js';
import { defineConsumer } from '../../core/log/define-consumer.js';
import type { MessageReceivedPayload } from '../../core/log/events/message.schema.js';
import type { MessageContent } from '../../core/outbox/outbound-message.schema.js';
import { queueMessage } from '../../core/outbox/queue-message.js';
import {
  type MessageForOwner,
  type RouteCandidate,
  type RoutedMessage,
  receivedEventsRoutedTo,
} from '../routing/index.js';

export const DEFAULT_REPLY_CONSUMER = 'automation.default-reply';
/** The automation's id in routing: `message.routed` with owner `automation` / this id. */
export const DEFAULT_REPLY_AUTOMATION = 'default-reply';

export interface DefaultReplyOptions {
  /** PARLEY_DEFAULT_REPLY: when set, every inbound message on every channel gets this text. */
  defaultReply: string | undefined;
  /** Channels that get the built-in demo reply when no default reply is configured. */
  simulatorChannels?: readonly string[];
}

/**
 * The default reply as routing sees it: it takes a message nobody else holds when it would
 * answer it (a default reply is configured, or the channel is a simulator), and never a
 * reaction. A real WhatsApp number never replies unless PARLEY_DEFAULT_REPLY is set.
 */
export function defaultReplyAutomation(options: DefaultReplyOptions): RouteCandidate<RoutedMessage> {
  const simulators = new Set(options.simulatorChannels ?? ['simulator']);
  return {
    id: DEFAULT_REPLY_AUTOMATION,
    matches: ({ channel, received }) =>
      channel !== null &&
      received.message_type !== 'reaction' &&
      (options.defaultReply !== undefined || simulators.has(channel)),
  };
}

/**
 * Answers each message routed to the default reply, so that a new installation shows a full
 * round trip: the reply is queued in the consumer's transaction, which also advances its
 * cursor, so each message gets exactly one reply, after a crash too. Events arrive parsed: one
 * that does not match its schema is reported by defineConsumer (last_error, /health).
 */
export function defaultReplyConsumer(options: DefaultReplyOptions): Consumer {
  return defineConsumer({
    name: DEFAULT_REPLY_CONSUMER,
    types: ['message.routed'],
    batchSize: 100,
    async handle(tx, events) {
      const messages = await receivedEventsRoutedTo(tx, events, {
        kind: 'automation',
        id: DEFAULT_REPLY_AUTOMATION,
      });
      for (const message of messages) {
        if (!message.channel) continue;
        const content: MessageContent =
          options.defaultReply !== undefined
            ? { type: 'text', body: options.defaultReply }
            : simulatorReply(message.received);
        await reply(tx, message, content);
      }
    },
  });
}

async function reply(tx: Tx, message: MessageForOwner, content: MessageContent) {
  try {
    await queueMessage(tx, {
      channel: message.channel!,
      ...(message.contactId ? { contact_id: message.contactId } : { wa_id: message.received.wa_id }),
      message: content,
      attribution: { automation: DEFAULT_REPLY_AUTOMATION },
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
