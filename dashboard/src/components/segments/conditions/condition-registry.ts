import type { Condition } from '../../../../../engine/segments/segment-builder.schema.js';
import type { ConditionEditor } from './condition-editor.js';
import { fieldCondition } from './field-condition.js';
import { identityCondition, marketingOptInCondition } from './identity-conditions.js';
import { journeyCondition } from './journey-condition.js';
import { firstMessageCondition, lastMessageCondition, messageCountCondition } from './message-conditions.js';
import {
  blockedCondition,
  labelCondition,
  languageCondition,
  optInCondition,
  pressedButtonCondition,
  repliedToReminderCondition,
} from './simple-conditions.js';

/** Every kind of condition, keyed by kind: the type makes a new kind fail to compile until it is here. */
export const conditionRegistry: { [K in Condition['kind']]: ConditionEditor<K> } = {
  field: fieldCondition,
  label: labelCondition,
  language: languageCondition,
  opt_in: optInCondition,
  marketing_opt_in: marketingOptInCondition,
  identity: identityCondition,
  blocked: blockedCondition,
  last_message: lastMessageCondition,
  first_message: firstMessageCondition,
  message_count: messageCountCondition,
  replied_to_reminder: repliedToReminderCondition,
  pressed_button: pressedButtonCondition,
  journey: journeyCondition,
};

/** The kinds in the order the builder offers them. */
export const conditionKinds = Object.values(conditionRegistry) as ConditionEditor<Condition['kind']>[];
