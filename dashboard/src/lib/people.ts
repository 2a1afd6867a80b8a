import type { Outputs } from './trpc.js';

export type PersonSummary = Outputs['people']['list']['items'][number];
export type Person = Outputs['people']['get'];
export type CustomField = Outputs['customFields']['list'][number];
export type FieldType = CustomField['type'];
export type OptIn = Person['optIn'];
export type TimelineItem = Outputs['people']['timeline']['items'][number];
export type Import = Outputs['imports']['get'];

export const optInStates: readonly OptIn[] = ['unknown', 'opted_in', 'opted_out'];

export const optInLabels: Record<OptIn, string> = {
  unknown: 'Unknown',
  opted_in: 'Opted in',
  opted_out: 'Opted out',
};

export const fieldTypeLabels: Record<FieldType, string> = {
  text: 'Text',
  number: 'Number',
  boolean: 'Yes / no',
  date: 'Date',
  datetime: 'Date and time',
  choice: 'Single choice',
};

/** A person's display name: their name, else their phone, else their WhatsApp username or id. */
export function personName(
  person: Pick<PersonSummary, 'name' | 'phone'> & { username?: string | null; bsuid?: string | null },
): string {
  return person.name ?? person.phone ?? person.username ?? person.bsuid ?? 'Unknown person';
}

/** A field key (snake_case, usable in SQL) suggested from a display name: "Home district" → home_district. */
export function suggestKey(name: string): string {
  const key = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63);
  return /^[a-z]/.test(key) ? key : key ? `f_${key}` : '';
}

/** The CSV export of everyone, or of one label (the REST route streams it; the session cookie authorises it). */
export function exportHref(label: string | undefined): string {
  const query = label ? `?${new URLSearchParams({ label })}` : '';
  return `/v1/contacts/export.csv${query}`;
}

/** Choice options as the options box shows them: one `key = Label` a line. */
export function formatOptions(options: readonly { key: string; label: string }[]): string {
  return options.map((o) => `${o.key} = ${o.label}`).join('\n');
}

/** The options box back into options: `key = Label`, or just `Label` (its key suggested from it). */
export function parseOptions(text: string): { key: string; label: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf('=');
      if (at < 0) return { key: suggestKey(line), label: line };
      const label = line.slice(at + 1).trim();
      return { key: line.slice(0, at).trim(), label };
    });
}
