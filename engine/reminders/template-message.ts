import type { MessageContent } from '../../core/outbox/outbound-message.schema.js';
import type { ReminderTemplate, VariableSource } from './reminder.schema.js';

export interface PersonValues {
  name: string | null;
  fields: Record<string, unknown>;
}

/** A variable's value for one person: their profile value, else the fallback (WhatsApp refuses empty parameters). */
export function variableValue(source: VariableSource, person: PersonValues): string {
  if (source.from === 'text') return source.value;
  const raw = source.from === 'name' ? person.name : person.fields[source.key];
  const text = raw === null || raw === undefined ? '' : String(raw).trim();
  return text === '' ? source.fallback : text;
}

/** The Cloud API template message for one person, with the body's parameters filled in. */
export function templateMessageFor(
  template: ReminderTemplate,
  person: PersonValues,
): Extract<MessageContent, { type: 'template' }> {
  const parameters = template.body.map((variable) => ({
    type: 'text' as const,
    text: variableValue(variable.source, person),
    ...(variable.name ? { parameter_name: variable.name } : {}),
  }));
  return {
    type: 'template',
    name: template.name,
    language: template.language,
    category: template.category,
    ...(parameters.length > 0 ? { components: [{ type: 'body' as const, parameters }] } : {}),
  };
}
