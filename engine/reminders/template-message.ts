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

/** The Cloud API template message for one person, with the header, body and URL buttons filled in. */
export function templateMessageFor(
  template: ReminderTemplate,
  person: PersonValues,
): Extract<MessageContent, { type: 'template' }> {
  const text = (source: VariableSource, name?: string) => ({
    type: 'text' as const,
    text: variableValue(source, person),
    ...(name ? { parameter_name: name } : {}),
  });
  type Component = NonNullable<Extract<MessageContent, { type: 'template' }>['components']>[number];
  const components: Component[] = [];
  const header = template.header;
  if (header?.type === 'text')
    components.push({ type: 'header', parameters: [text(header.source, header.name)] });
  else if (header?.type === 'image')
    components.push({ type: 'header', parameters: [{ type: 'image', image: { link: header.link } }] });
  else if (header?.type === 'video')
    components.push({ type: 'header', parameters: [{ type: 'video', video: { link: header.link } }] });
  else if (header?.type === 'document')
    components.push({ type: 'header', parameters: [{ type: 'document', document: { link: header.link } }] });
  if (template.body.length > 0)
    components.push({ type: 'body', parameters: template.body.map((v) => text(v.source, v.name)) });
  for (const button of template.buttons)
    components.push({
      type: 'button',
      sub_type: 'url',
      index: button.index,
      parameters: [text(button.source)],
    });
  return {
    type: 'template',
    name: template.name,
    language: template.language,
    category: template.category,
    ...(components.length > 0 ? { components } : {}),
  };
}
