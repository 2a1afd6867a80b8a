/**
 * The variables of a template text: `{{1}}` (positional) or `{{first_name}}` (named).
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates#parameter-formats
 */
export interface TemplateVariable {
  /** What is between the braces, e.g. `1` or `first_name`. */
  key: string;
  kind: 'positional' | 'named' | 'invalid';
  start: number;
  end: number;
}

const variablePattern = /\{\{([^{}]*)\}\}/g;
const positional = /^[1-9]\d*$/;
/** Meta: named parameters are lowercase letters, digits and underscores. */
const named = /^[a-z_][a-z0-9_]*$/;

export function templateVariables(text: string): TemplateVariable[] {
  return [...text.matchAll(variablePattern)].map((m) => {
    const key = m[1]!;
    const kind = positional.test(key) ? 'positional' : named.test(key) ? 'named' : 'invalid';
    return { key, kind, start: m.index, end: m.index + m[0].length };
  });
}

/** Distinct keys in order of first appearance: the order of a send's parameters. */
export function variableKeys(text: string | undefined): string[] {
  if (!text) return [];
  const keys = templateVariables(text).map((v) => v.key);
  const distinct = [...new Set(keys)];
  return distinct.every((k) => positional.test(k))
    ? distinct.sort((a, b) => Number(a) - Number(b))
    : distinct;
}

/** Replaces each variable by its value; a variable without a value stays as written. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(variablePattern, (whole, key: string) => values[key] ?? whole);
}
