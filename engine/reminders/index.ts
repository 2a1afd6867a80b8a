// The reminders engine's boundary: what api/ and other engines may call.

export { estimateReminder, type ReminderEstimate } from './estimate-reminder.js';
export { findListedPeople, type ListedPeople } from './list-audience.js';
export { messagingAllowance } from './messaging-limit.js';
export { REMINDER_OUTCOMES_CONSUMER, reminderOutcomesConsumer } from './outcomes-consumer.js';
export {
  type Audience,
  type ReminderInput,
  reminderInputSchema,
  type Schedule,
} from './reminder.schema.js';
export { listReminderRecipients } from './reminder-recipients.js';
export { createReminderRunner, type ReminderRunner, type ReminderRunnerOptions } from './reminder-runner.js';
export { listReminderRuns, type ReminderRunSummary, requireReminderRun } from './reminder-runs.js';
export { type ReminderStats, reminderListCounts, reminderStats } from './reminder-stats.js';
export { type ReminderTimeline, reminderTimeline } from './reminder-timeline.js';
export {
  cancelReminder,
  createReminder,
  getReminder,
  listReminders,
  pauseReminder,
  type Reminder,
  resumeReminder,
  scheduleReminder,
} from './reminders-store.js';
export { checkSchedule, localSendTime, nextRunAt, upcomingRuns } from './schedule.js';
