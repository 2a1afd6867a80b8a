import { z } from 'zod';
import { defineEvent, idString } from './envelope.js';

/**
 * Reminders (engine/reminders): who did what to a reminder, each run, and one `reminder.send`
 * per person and run (queued with its message, or skipped and why), so analysts can count
 * targeted, skipped and sent from the log alone.
 */
const by = z.string().min(1);

export const reminderChangedPayloadSchema = z.object({
  reminder_id: idString,
  /** created, scheduled, updated, paused, resumed, cancelled, completed, failed */
  action: z.enum([
    'created',
    'scheduled',
    'updated',
    'paused',
    'resumed',
    'cancelled',
    'completed',
    'failed',
  ]),
  by,
  reason: z.string().nullable().default(null),
  next_run_at: z.iso.datetime({ offset: true }).nullable().default(null),
});

export const reminderRunPayloadSchema = z.object({
  reminder_id: idString,
  run_id: idString,
  /** started (planned), paused (a limit was reached), resumed, completed */
  action: z.enum(['started', 'paused', 'resumed', 'completed', 'cancelled']),
  due_at: z.iso.datetime({ offset: true }),
  targeted: z.number().int().nonnegative().nullable().default(null),
  reason: z.string().nullable().default(null),
  resume_at: z.iso.datetime({ offset: true }).nullable().default(null),
});

export const reminderSendPayloadSchema = z.object({
  reminder_id: idString,
  run_id: idString,
  outcome: z.enum(['queued', 'skipped']),
  /** blocked, erased, opted_out, recently_sent, no_identity, window... when skipped */
  skip_reason: z.string().nullable(),
  message_id: idString.nullable(),
});

/** A person answered a reminder (a reply or a button) within a day of it: the journeys engine starts `journey_id`. */
export const reminderRepliedPayloadSchema = z.object({
  reminder_id: idString,
  run_id: idString,
  message_id: idString,
  reply_message_id: idString,
  journey_id: idString.nullable(),
});

export const reminderEvents = [
  defineEvent('reminder.changed', reminderChangedPayloadSchema),
  defineEvent('reminder.run', reminderRunPayloadSchema),
  defineEvent('reminder.send', reminderSendPayloadSchema),
  defineEvent('reminder.replied', reminderRepliedPayloadSchema),
] as const;
