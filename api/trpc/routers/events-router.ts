import { tracked } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../../../core/errors.js';
import type { LogCursor, StoredEvent } from '../../../core/log/reader.js';
import type { Actor } from '../../auth/actor.js';
import { maskPersonalData } from '../../auth/mask.js';
import type { Permission } from '../../auth/permissions.js';
import { idSchema } from '../common.schema.js';
import { authedProcedure, router } from '../trpc.js';

export interface LiveEvent {
  id: string;
  type: string;
  occurred_at: Date;
  contact_id: string | null;
  channel: string | null;
  payload: unknown;
}

/** Which permission lets a member see an event type live; anything unlisted needs audit.read. */
export function eventPermission(type: string): Permission {
  const area = type.split('.')[0];
  if (area === 'message') return 'messages.read';
  if (area === 'contact') return 'contacts.read';
  if (area === 'webhook' || area === 'channel') return 'channels.read';
  if (area === 'simulator') return 'simulator.use';
  return 'audit.read';
}

/**
 * Live updates for the simulator and (later) the inbox: a tRPC subscription, served over
 * server-sent events, of new log events the member may see, with personal data masked. The
 * tracked id is the event's (xid, id) log position, so a reconnecting client (Last-Event-ID)
 * resumes exactly where it stopped.
 */
export const eventsRouter = router({
  onNew: authedProcedure
    .input(
      z.strictObject({
        types: z.array(z.string().min(1)).max(50).optional(),
        contactId: idSchema.optional(),
        channel: z.string().min(1).optional(),
        lastEventId: z
          .string()
          .regex(/^\d+:\d+$/)
          .nullish(),
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const feed = ctx.services.liveFeed;
      if (!feed) throw new AppError('unavailable', 'live updates are not running on this server');
      let cursor: LogCursor = input.lastEventId ? parsePosition(input.lastEventId) : await feed.position();
      while (!signal?.aborted) {
        const events = await feed.after(cursor);
        if (events.length === 0) {
          if (!(await feed.changed(cursor, signal))) return;
          continue;
        }
        for (const event of events) {
          cursor = { xid: event.xid, id: event.id };
          if (visible(ctx.actor, event) && matches(input, event)) {
            yield tracked(`${event.xid}:${event.id}`, present(event));
          }
        }
      }
    }),
});

function parsePosition(value: string): LogCursor {
  const [xid, id] = value.split(':') as [string, string];
  return { xid, id };
}

function visible(actor: Actor, event: StoredEvent): boolean {
  return actor.permissions.has(eventPermission(event.type));
}

function matches(
  filter: { types?: string[]; contactId?: string; channel?: string },
  event: StoredEvent,
): boolean {
  if (filter.types && !filter.types.includes(event.type)) return false;
  if (filter.contactId && event.contact_id !== filter.contactId) return false;
  if (filter.channel && event.channel !== filter.channel) return false;
  return true;
}

function present(event: StoredEvent): LiveEvent {
  return {
    id: event.id,
    type: event.type,
    occurred_at: event.occurred_at,
    contact_id: event.contact_id,
    channel: event.channel,
    payload: maskPersonalData(event.payload),
  };
}
