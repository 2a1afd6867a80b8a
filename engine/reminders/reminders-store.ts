import type { DbOrTx, Tx } from '../../core/db/database.js';
import type { ReminderState } from '../../core/db/schema.js';
import { AppError, fieldErrorsFromZod } from '../../core/errors.js';
import { append } from '../../core/log/append.js';
import {
  type Audience,
  audienceSchema,
  type ReminderInput,
  type ReminderOptions,
  type ReminderTemplate,
  reminderInputSchema,
  reminderOptionsSchema,
  reminderTemplateSchema,
  type Schedule,
  scheduleSchema,
} from './reminder.schema.js';
import { checkSchedule, nextRunAt } from './schedule.js';

export interface Reminder {
  id: string;
  name: string;
  template: ReminderTemplate;
  audience: Audience;
  schedule: Schedule;
  options: ReminderOptions;
  state: ReminderState;
  next_run_at: Date | null;
  paused_reason: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

/** Creates a draft: nothing is sent until it is scheduled. */
export async function createReminder(tx: Tx, input: ReminderInput, by: string): Promise<Reminder> {
  const parsed = reminderInputSchema.safeParse(input);
  if (!parsed.success) {
    const fields = fieldErrorsFromZod(parsed.error.issues);
    throw new AppError(
      'validation_failed',
      `invalid reminder: ${fields.map((f) => `${f.field}: ${f.reason}`).join('; ')}`,
      fields,
    );
  }
  const r = parsed.data;
  const row = await tx
    .insertInto('reminders')
    .values({
      name: r.name,
      template: JSON.stringify(r.template),
      audience: JSON.stringify(r.audience),
      schedule: JSON.stringify(r.schedule),
      options: JSON.stringify(r.options),
      created_by: by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await logChange(tx, row.id, 'created', by);
  return present(row);
}

export async function getReminder(
  db: DbOrTx,
  id: string,
  options: { lock?: boolean } = {},
): Promise<Reminder> {
  let query = db.selectFrom('reminders').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new AppError('not_found', `reminder ${id} not found`);
  return present(row);
}

export async function listReminders(db: DbOrTx, limit = 200): Promise<Reminder[]> {
  const rows = await db.selectFrom('reminders').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(present);
}

/** Draft → scheduled: the schedule is checked and its first run time stored; the scheduler takes it from there. */
export async function scheduleReminder(tx: Tx, id: string, by: string, now = new Date()): Promise<Reminder> {
  const reminder = await getReminder(tx, id, { lock: true });
  if (reminder.state !== 'draft')
    throw new AppError('conflict', `reminder ${id} is ${reminder.state}, not a draft`);
  checkSchedule(reminder.schedule, now);
  const next = nextRunAt(reminder.schedule, now, null);
  return transition(tx, reminder, { state: 'scheduled', next_run_at: next }, 'scheduled', by);
}

/** Stops further sends of every run (queued messages still go out; pending people wait). */
export async function pauseReminder(
  tx: Tx,
  id: string,
  by: string,
  reason: string | null = null,
): Promise<Reminder> {
  const reminder = await getReminder(tx, id, { lock: true });
  if (reminder.state !== 'scheduled' && reminder.state !== 'sending') {
    throw new AppError(
      'conflict',
      `reminder ${id} is ${reminder.state}: only a scheduled or sending reminder can be paused`,
    );
  }
  return transition(
    tx,
    reminder,
    { state: 'paused', paused_reason: reason ?? 'paused by a person' },
    'paused',
    by,
    reason,
  );
}

export async function resumeReminder(tx: Tx, id: string, by: string): Promise<Reminder> {
  const reminder = await getReminder(tx, id, { lock: true });
  if (reminder.state !== 'paused')
    throw new AppError('conflict', `reminder ${id} is ${reminder.state}, not paused`);
  const running = await tx
    .selectFrom('reminder_runs')
    .select('id')
    .where('reminder_id', '=', id)
    .where('state', 'in', ['planning', 'sending', 'paused'])
    .executeTakeFirst();
  await tx
    .updateTable('reminder_runs')
    .set({ state: 'sending', paused_reason: null, resume_at: null })
    .where('reminder_id', '=', id)
    .where('state', '=', 'paused')
    .execute();
  const state = running ? 'sending' : reminder.next_run_at ? 'scheduled' : 'completed';
  return transition(tx, reminder, { state, paused_reason: null }, 'resumed', by);
}

/** Nothing more is sent: pending people are skipped as cancelled; queued messages still go out. */
export async function cancelReminder(tx: Tx, id: string, by: string): Promise<Reminder> {
  const reminder = await getReminder(tx, id, { lock: true });
  if (reminder.state === 'completed' || reminder.state === 'cancelled') {
    throw new AppError('conflict', `reminder ${id} is already ${reminder.state}`);
  }
  await tx
    .updateTable('reminder_recipients')
    .set({ state: 'skipped', skip_reason: 'cancelled' })
    .where('state', '=', 'pending')
    .where('run_id', 'in', tx.selectFrom('reminder_runs').select('id').where('reminder_id', '=', id))
    .execute();
  await tx
    .updateTable('reminder_runs')
    .set({ state: 'cancelled', completed_at: new Date() })
    .where('reminder_id', '=', id)
    .where('state', 'in', ['planning', 'sending', 'paused'])
    .execute();
  return transition(tx, reminder, { state: 'cancelled', next_run_at: null }, 'cancelled', by);
}

export async function transition(
  tx: Tx,
  reminder: Reminder,
  set: { state: ReminderState; next_run_at?: Date | null; paused_reason?: string | null },
  action: 'scheduled' | 'paused' | 'resumed' | 'cancelled' | 'completed' | 'failed',
  by: string,
  reason: string | null = null,
): Promise<Reminder> {
  const row = await tx
    .updateTable('reminders')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', reminder.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await logChange(tx, reminder.id, action, by, reason, row.next_run_at);
  return present(row);
}

async function logChange(
  tx: Tx,
  id: string,
  action: 'created' | 'scheduled' | 'paused' | 'resumed' | 'cancelled' | 'completed' | 'failed',
  by: string,
  reason: string | null = null,
  nextRunAt: Date | null = null,
) {
  await append(tx, [
    {
      type: 'reminder.changed',
      source: 'engine',
      payload: { reminder_id: id, action, by, reason, next_run_at: nextRunAt?.toISOString() ?? null },
    },
  ]);
}

type Row = Omit<Reminder, 'template' | 'audience' | 'schedule' | 'options'> & {
  template: unknown;
  audience: unknown;
  schedule: unknown;
  options: unknown;
};

function present(row: Row): Reminder {
  return {
    ...row,
    template: reminderTemplateSchema.parse(row.template),
    audience: audienceSchema.parse(row.audience),
    schedule: scheduleSchema.parse(row.schedule),
    options: reminderOptionsSchema.parse(row.options),
  };
}
