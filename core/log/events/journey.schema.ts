import { z } from 'zod';
import { defineEvent, idString } from './envelope.js';

/**
 * A person's way through a journey. Defined ahead of the journey engine so that segments
 * ("completed journey Y but not Z", "dropped at card X") and the warehouse's journey_events
 * table have one shape to read; the engine appends them. `run_id` is one person's pass
 * through one journey; `card_id` is the card's stable id inside the journey's definition.
 */
const runShape = { journey_id: idString, run_id: idString };

export const journeyStartedPayloadSchema = z.object({ ...runShape, trigger: z.string().optional() });
export const journeyCardEnteredPayloadSchema = z.object({ ...runShape, card_id: z.string().min(1) });
export const journeyCompletedPayloadSchema = z.object({ ...runShape, card_id: z.string().min(1).optional() });
export const journeyDroppedPayloadSchema = z.object({
  ...runShape,
  /** The card the person was at when the run ended without completing. */
  card_id: z.string().min(1).optional(),
  reason: z.string().min(1),
});

export const journeyEvents = [
  defineEvent('journey.started', journeyStartedPayloadSchema),
  defineEvent('journey.card_entered', journeyCardEnteredPayloadSchema),
  defineEvent('journey.completed', journeyCompletedPayloadSchema),
  defineEvent('journey.dropped', journeyDroppedPayloadSchema),
] as const;
