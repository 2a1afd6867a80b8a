import type { z } from 'zod';
import type { EventType } from './event.schema.js';

/**
 * Payload schemas of event versions after 1, beside version 1 in event.schema.ts (a published
 * shape never changes). Empty today. To publish version 2 of an event:
 *
 * 1. add `{ type: 'message.received', version: 2, payload: messageReceivedV2PayloadSchema }`
 *    here (the schema in the event's file under events/, next to version 1);
 * 2. append it with `schema_version: 2`, its payload built with that schema;
 * 3. in each consumer of the type, branch on `event.schema_version` where the shapes differ.
 *
 * A consumer running older code that meets version 2 reports it (consumer last_error, /health)
 * and retries, instead of skipping it: deploy the readers before the writers.
 */
export const laterEventVersions: readonly { type: EventType; version: number; payload: z.ZodType }[] = [];
