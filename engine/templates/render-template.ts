import type { TemplateButton, TemplateComponent } from './template.schema.js';
import { substitute, variableKeys } from './template-variables.js';

/** Values for a template's variables, by variable key (`1` or `first_name`); buttons by index. */
export interface TemplateValues {
  header?: Readonly<Record<string, string>>;
  body?: Readonly<Record<string, string>>;
  buttons?: Readonly<Record<string, string>>;
}

export interface RenderedTemplate {
  header: { format: string; text: string | null } | null;
  body: string;
  footer: string | null;
  buttons: { type: TemplateButton['type']; text: string; url?: string; phone_number?: string }[];
  /** Variables that had no value and are shown as written. */
  missing: string[];
}

/**
 * The message as WhatsApp shows it: header, body with each variable replaced, footer, buttons
 * (a URL button with its suffix). Authentication templates show Meta's fixed wording.
 * A pure function: the dashboard's live preview and templates.preview share it.
 */
export function renderTemplate(
  components: readonly TemplateComponent[],
  values: TemplateValues,
): RenderedTemplate {
  const missing: string[] = [];
  const fill = (text: string, given: Readonly<Record<string, string>> | undefined, part: string) => {
    for (const key of variableKeys(text)) if (given?.[key] === undefined) missing.push(`${part}.${key}`);
    return substitute(text, given ?? {});
  };
  const out: RenderedTemplate = { header: null, body: '', footer: null, buttons: [], missing };
  for (const c of components) {
    if (c.type === 'HEADER') {
      out.header = {
        format: c.format,
        text: c.format === 'TEXT' ? fill(c.text, values.header, 'header') : null,
      };
    } else if (c.type === 'BODY') {
      out.body =
        c.text === undefined
          ? `{{code}} is your verification code.${c.add_security_recommendation ? ' For your security, do not share this code.' : ''}`
          : fill(c.text, values.body, 'body');
    } else if (c.type === 'FOOTER') {
      out.footer =
        c.text ??
        (c.code_expiration_minutes === undefined
          ? null
          : `This code expires in ${c.code_expiration_minutes} minutes.`);
    } else {
      c.buttons.forEach((b, i) => {
        out.buttons.push(renderButton(b, i, values.buttons, missing));
      });
    }
  }
  return out;
}

function renderButton(
  b: TemplateButton,
  index: number,
  given: Readonly<Record<string, string>> | undefined,
  missing: string[],
): RenderedTemplate['buttons'][number] {
  switch (b.type) {
    case 'QUICK_REPLY':
      return { type: b.type, text: b.text };
    case 'URL': {
      const suffix = given?.[String(index)];
      if (variableKeys(b.url).length > 0 && suffix === undefined) missing.push(`buttons.${index}`);
      return {
        type: b.type,
        text: b.text,
        url: suffix === undefined ? b.url : substitute(b.url, { '1': suffix }),
      };
    }
    case 'PHONE_NUMBER':
      return { type: b.type, text: b.text, phone_number: b.phone_number };
    case 'COPY_CODE':
      return { type: b.type, text: 'Copy offer code' };
    case 'OTP':
      return { type: b.type, text: b.text ?? 'Copy code' };
  }
}

/**
 * The sample values the template was submitted with: what Meta's reviewers saw. A blank sample
 * is no sample (Meta refuses it), so a draft's preview shows that variable as still missing.
 */
export function sampleValues(components: readonly TemplateComponent[]): TemplateValues {
  const values: {
    header: Record<string, string>;
    body: Record<string, string>;
    buttons: Record<string, string>;
  } = { header: {}, body: {}, buttons: {} };
  for (const c of components) {
    if (c.type === 'HEADER' && c.format === 'TEXT') {
      const keys = variableKeys(c.text);
      c.example?.header_text?.forEach((v, i) => {
        if (keys[i] && given(v)) values.header[keys[i]] = v;
      });
      for (const p of c.example?.header_text_named_params ?? [])
        if (given(p.example)) values.header[p.param_name] = p.example;
    } else if (c.type === 'BODY' && c.text) {
      const keys = variableKeys(c.text);
      c.example?.body_text?.[0]?.forEach((v, i) => {
        if (keys[i] && given(v)) values.body[keys[i]] = v;
      });
      for (const p of c.example?.body_text_named_params ?? [])
        if (given(p.example)) values.body[p.param_name] = p.example;
    } else if (c.type === 'BUTTONS') {
      c.buttons.forEach((b, i) => {
        const example = b.type === 'URL' ? b.example?.[0] : undefined;
        const at = b.type === 'URL' ? b.url.indexOf('{{') : -1;
        if (b.type === 'URL' && example && at >= 0) values.buttons[String(i)] = example.slice(at);
      });
    }
  }
  return values;
}

const given = (sample: string) => sample.trim() !== '';
