import { z } from 'zod';
import { defineEvent } from './envelope.js';

/**
 * The simulator's "reset" of a test contact: the log cannot forget a conversation, so the
 * simulator shows only what follows this event, and later engine parts (journeys) can end
 * whatever they hold for the contact when they see it.
 */
export const simulatorResetPayloadSchema = z.object({ wa_id: z.string().min(1) });

export const simulatorEvents = [defineEvent('simulator.reset', simulatorResetPayloadSchema)] as const;
