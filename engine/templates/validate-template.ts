import { AppError, type FieldError } from '../../core/errors.js';
import {
  type TemplateButton,
  type TemplateComponent,
  templateInputSchema,
  type ValidTemplateInput,
} from './template.schema.js';
import { templateLanguages } from './template-languages.js';
import { templateVariables } from './template-variables.js';

/**
 * Meta's rules for a new or edited template, checked before anything is sent to Meta so
 * that an invalid template is refused with every broken field named (`components[1].text`).
 * Rules as documented on "Template components", "Parameter formats" and "Authentication
 * templates": https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates
 */
export const templateLimits = {
  name: 512,
  headerText: 60,
  body: 1024,
  footer: 60,
  buttonText: 25,
  url: 2000,
  phoneNumber: 20,
  copyCode: 15,
  buttons: 10,
  byType: { QUICK_REPLY: 10, URL: 2, PHONE_NUMBER: 1, COPY_CODE: 1, OTP: 1 },
} as const;

/** Parses and checks a template; throws validation_failed listing every field error. */
export function assertValidTemplate(input: unknown): ValidTemplateInput {
  const result = validateTemplate(input);
  if (result.ok) return result.template;
  throw new AppError(
    'validation_failed',
    `the template breaks Meta's rules: ${result.errors.map((e) => `${e.field}: ${e.reason}`).join('; ')}`,
    result.errors,
  );
}

export function validateTemplate(
  input: unknown,
): { ok: true; template: ValidTemplateInput } | { ok: false; errors: FieldError[] } {
  const parsed = templateInputSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ field: fieldPath(i.path), reason: i.message })),
    };
  }
  const t = parsed.data;
  const errors: FieldError[] = [];
  const fail = (field: string, reason: string) => errors.push({ field, reason });
  if (t.name.length === 0 || t.name.length > templateLimits.name) fail('name', 'must be 1 to 512 characters');
  else if (!/^[a-z0-9_]+$/.test(t.name)) fail('name', 'only lowercase letters, digits and underscores');
  if (!templateLanguages.has(t.language)) {
    fail('language', `${t.language} is not a language Meta supports for templates (e.g. en, en_US, pt_BR)`);
  }
  checkComponentSet(t, fail);
  t.components.forEach((c, i) => {
    checkComponent(t, c, `components[${i}]`, fail);
  });
  return errors.length === 0 ? { ok: true, template: t } : { ok: false, errors };
}

type Fail = (field: string, reason: string) => void;

function checkComponentSet(t: ValidTemplateInput, fail: Fail) {
  const count = (type: TemplateComponent['type']) => t.components.filter((c) => c.type === type).length;
  if (count('BODY') !== 1) fail('components', 'a template has exactly one BODY');
  for (const type of ['HEADER', 'FOOTER', 'BUTTONS'] as const) {
    if (count(type) > 1) fail('components', `a template has at most one ${type}`);
  }
  if (t.category === 'AUTHENTICATION' && count('HEADER') > 0) {
    fail('components', 'authentication templates have no HEADER');
  }
  if (t.category === 'AUTHENTICATION' && count('BUTTONS') === 0) {
    fail('components', 'authentication templates need a BUTTONS component with one OTP button');
  }
}

function checkComponent(t: ValidTemplateInput, c: TemplateComponent, at: string, fail: Fail) {
  const auth = t.category === 'AUTHENTICATION';
  switch (c.type) {
    case 'HEADER':
      if (c.format === 'TEXT') {
        if (c.text.length === 0 || c.text.length > templateLimits.headerText) {
          fail(`${at}.text`, 'a text header has 1 to 60 characters');
        }
        checkVariables(t, c.text, at, 'header', fail);
      } else if (c.format !== 'LOCATION' && !c.example?.header_handle?.[0]) {
        fail(`${at}.example.header_handle`, `a ${c.format} header needs an example media handle`);
      }
      return;
    case 'BODY':
      if (auth) {
        if (c.text !== undefined)
          fail(`${at}.text`, 'Meta writes the body of authentication templates: omit text');
        return;
      }
      if (!c.text) return fail(`${at}.text`, 'the body text is required');
      if (c.text.length > templateLimits.body) fail(`${at}.text`, 'the body has at most 1,024 characters');
      checkVariables(t, c.text, at, 'body', fail);
      return;
    case 'FOOTER':
      if (auth) {
        if (c.text !== undefined) fail(`${at}.text`, 'Meta writes the footer of authentication templates');
        const minutes = c.code_expiration_minutes;
        if (minutes !== undefined && (minutes < 1 || minutes > 90)) {
          fail(`${at}.code_expiration_minutes`, 'must be 1 to 90 minutes');
        }
        return;
      }
      if (!c.text || c.text.length > templateLimits.footer)
        fail(`${at}.text`, 'a footer has 1 to 60 characters');
      else if (templateVariables(c.text).length > 0) fail(`${at}.text`, 'a footer has no variables');
      return;
    case 'BUTTONS':
      checkButtons(t, c.buttons, at, fail);
      return;
  }
}

/** Header (at most one variable) and body variables: one format, numbered from 1, each with an example. */
function checkVariables(
  t: ValidTemplateInput,
  text: string,
  at: string,
  part: 'header' | 'body',
  fail: Fail,
) {
  const variables = templateVariables(text);
  if (variables.length === 0) return;
  const field = `${at}.text`;
  const bad = variables.find((v) => v.kind === 'invalid');
  if (bad)
    return fail(field, `{{${bad.key}}} is not a variable: use {{1}} or a lowercase name like {{first_name}}`);
  const other = t.parameter_format === 'positional' ? 'named' : 'positional';
  if (variables.some((v) => v.kind === other)) {
    return fail(
      field,
      t.parameter_format === 'positional'
        ? 'parameter_format is positional: use {{1}}, {{2}}, ... (or set parameter_format to named)'
        : 'parameter_format is named: use names like {{first_name}}, not numbers',
    );
  }
  const keys = [...new Set(variables.map((v) => v.key))];
  if (part === 'header' && variables.length > 1) return fail(field, 'a text header has at most one variable');
  if (t.parameter_format === 'positional') {
    const numbers = keys.map(Number).sort((a, b) => a - b);
    if (numbers.some((n, i) => n !== i + 1)) {
      return fail(
        field,
        `variables are numbered in sequence from {{1}}; found ${keys.map((k) => `{{${k}}}`).join(', ')}`,
      );
    }
  }
  if (part === 'body') {
    const trimmed = text.trim();
    const lead = templateVariables(trimmed);
    if (lead[0]?.start === 0 || lead.at(-1)?.end === trimmed.length) {
      fail(field, 'Meta refuses a body that starts or ends with a variable: add text before and after');
    }
  }
  checkExamples(t, keys, at, part, fail);
}

function checkExamples(
  t: ValidTemplateInput,
  keys: string[],
  at: string,
  part: 'header' | 'body',
  fail: Fail,
) {
  const c = t.components.find((x) => x.type === (part === 'header' ? 'HEADER' : 'BODY')) as {
    example?: Record<string, unknown>;
  };
  const example = c.example ?? {};
  if (t.parameter_format === 'positional') {
    const name = part === 'header' ? 'header_text' : 'body_text';
    const values = (part === 'header' ? example[name] : (example[name] as string[][] | undefined)?.[0]) as
      | string[]
      | undefined;
    const path = part === 'header' ? `${at}.example.header_text` : `${at}.example.body_text[0]`;
    if (!values || values.length !== keys.length || values.some((v) => v.trim() === '')) {
      fail(path, `give ${keys.length} sample value(s), one per variable, none empty`);
    }
    return;
  }
  const name = part === 'header' ? 'header_text_named_params' : 'body_text_named_params';
  const given = (example[name] as { param_name: string; example: string }[] | undefined) ?? [];
  const byName = new Map(given.map((g) => [g.param_name, g.example]));
  for (const key of keys) {
    if (!byName.get(key)?.trim()) fail(`${at}.example.${name}`, `give a sample value for {{${key}}}`);
  }
  for (const [i, g] of given.entries()) {
    if (!keys.includes(g.param_name)) {
      fail(`${at}.example.${name}[${i}].param_name`, `{{${g.param_name}}} is not in the text`);
    }
  }
}

function checkButtons(t: ValidTemplateInput, buttons: TemplateButton[], at: string, fail: Fail) {
  const field = `${at}.buttons`;
  if (buttons.length === 0) return fail(field, 'give at least one button or leave BUTTONS out');
  if (buttons.length > templateLimits.buttons) fail(field, 'a template has at most 10 buttons');
  else
    for (const [type, max] of Object.entries(templateLimits.byType)) {
      const n = buttons.filter((b) => b.type === type).length;
      if (n > max) fail(field, `at most ${max} ${type} button${max === 1 ? '' : 's'}`);
    }
  const auth = t.category === 'AUTHENTICATION';
  if (auth && (buttons.length !== 1 || buttons[0]?.type !== 'OTP')) {
    fail(field, 'authentication templates have exactly one OTP button');
  }
  // Quick replies form one group, before or after the other buttons, never interleaved.
  const kinds = buttons.map((b) => b.type === 'QUICK_REPLY');
  const switches = kinds.filter((k, i) => i > 0 && k !== kinds[i - 1]).length;
  if (switches > 1) fail(field, 'quick reply buttons must be grouped together, before or after the others');
  buttons.forEach((b, i) => {
    checkButton(t, b, `${field}[${i}]`, fail);
  });
}

function checkButton(t: ValidTemplateInput, b: TemplateButton, at: string, fail: Fail) {
  if (
    'text' in b &&
    b.text !== undefined &&
    (b.text.length === 0 || b.text.length > templateLimits.buttonText)
  ) {
    fail(`${at}.text`, 'button text has 1 to 25 characters');
  }
  if (b.type === 'URL') {
    const variables = templateVariables(b.url);
    if (b.url.length > templateLimits.url) fail(`${at}.url`, 'a URL has at most 2,000 characters');
    if (!/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(b.url)) fail(`${at}.url`, 'must be an http(s) URL');
    if (variables.length > 1) fail(`${at}.url`, 'a URL has at most one variable');
    else if (variables.length === 1) {
      if (variables[0]!.end !== b.url.length) fail(`${at}.url`, 'the variable must be at the end of the URL');
      else if (variables[0]!.key !== '1') fail(`${at}.url`, 'a URL variable is written {{1}}');
      else if (!b.example?.[0]?.startsWith(b.url.slice(0, variables[0]!.start))) {
        fail(`${at}.example`, 'give the full example URL, with a sample value for {{1}}');
      }
    }
  }
  if (b.type === 'PHONE_NUMBER' && !/^\+?\d{4,19}$/.test(b.phone_number)) {
    fail(`${at}.phone_number`, 'a phone number with country code, digits only, at most 20 characters');
  }
  if (b.type === 'COPY_CODE') {
    if (t.category !== 'MARKETING') fail(`${at}.type`, 'copy code buttons are for MARKETING templates');
    if (b.example.length === 0 || b.example.length > templateLimits.copyCode) {
      fail(`${at}.example`, 'a sample code has 1 to 15 characters');
    }
  }
  if (b.type === 'OTP' && t.category !== 'AUTHENTICATION') {
    fail(`${at}.type`, 'OTP buttons are for AUTHENTICATION templates');
  }
}

/** `components.1.text` as `components[1].text`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  }
  return out || '(root)';
}
