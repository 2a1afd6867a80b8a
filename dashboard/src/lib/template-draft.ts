import type { TemplateButton, TemplateComponent } from '../../../engine/templates/template.schema.js';

export type Category = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type ParameterFormat = 'positional' | 'named';
export type HeaderFormat = 'NONE' | 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
export type ButtonType = TemplateButton['type'];
export type OtpType = 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP';

/** One button as the editor holds it: every kind's inputs, of which its type uses some. */
export interface DraftButton {
  type: ButtonType;
  text: string;
  url: string;
  /** A URL button's full example URL, or a copy-code button's sample code. */
  example: string;
  phone_number: string;
  otp_type: OtpType;
}

/**
 * A template as the editor's form holds it: flat fields, with sample values by variable key,
 * turned into Meta's component syntax by `templateComponents` for saving and previewing.
 */
export interface TemplateDraft {
  name: string;
  language: string;
  category: Category;
  parameterFormat: ParameterFormat;
  header: { format: HeaderFormat; text: string; samples: Record<string, string>; handle: string };
  body: string;
  samples: Record<string, string>;
  /** Authentication: Meta adds "For your security, do not share this code." */
  securityRecommendation: boolean;
  footer: string;
  /** Authentication: "This code expires in N minutes." ('' for none). */
  codeExpiration: string;
  buttons: DraftButton[];
}

/** Where each part landed in the components, so `components[2].text` finds its input again. */
export interface ComponentIndex {
  header?: number;
  body?: number;
  footer?: number;
  buttons?: number;
}

export function emptyDraft(): TemplateDraft {
  return {
    name: '',
    language: 'en',
    category: 'UTILITY',
    parameterFormat: 'positional',
    header: { format: 'NONE', text: '', samples: {}, handle: '' },
    body: '',
    samples: {},
    securityRecommendation: true,
    footer: '',
    codeExpiration: '',
    buttons: [],
  };
}

export function newButton(type: ButtonType): DraftButton {
  return { type, text: '', url: '', example: '', phone_number: '', otp_type: 'COPY_CODE' };
}

/**
 * The keys of the variables in a text, in the order Meta numbers their samples: `{{1}}`,
 * `{{2}}` by number, named ones in order of first appearance. The same reading as the
 * server's (engine/templates/template-variables.ts), which the dashboard may not import.
 */
export function variableKeys(text: string): string[] {
  const keys = [...new Set([...text.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1]!))];
  return keys.every((k) => /^[1-9]\d*$/.test(k)) ? keys.sort((a, b) => Number(a) - Number(b)) : keys;
}

/** Meta's components for a draft, and where each part is among them. */
export function templateComponents(draft: TemplateDraft): {
  components: TemplateComponent[];
  at: ComponentIndex;
} {
  const components: TemplateComponent[] = [];
  const at: ComponentIndex = {};
  const auth = draft.category === 'AUTHENTICATION';
  const header = auth ? undefined : headerComponent(draft);
  if (header) at.header = components.push(header) - 1;
  at.body = components.push(bodyComponent(draft)) - 1;
  const footer = footerComponent(draft);
  if (footer) at.footer = components.push(footer) - 1;
  if (draft.buttons.length > 0) {
    at.buttons = components.push({ type: 'BUTTONS', buttons: draft.buttons.map(buttonOf) }) - 1;
  }
  return { components, at };
}

function samplesFor(
  text: string,
  given: Record<string, string>,
): { positional: string[]; named: { param_name: string; example: string }[] } | undefined {
  const keys = variableKeys(text);
  if (keys.length === 0) return undefined;
  return {
    positional: keys.map((k) => given[k] ?? ''),
    named: keys.map((k) => ({ param_name: k, example: given[k] ?? '' })),
  };
}

function headerComponent(draft: TemplateDraft): TemplateComponent | undefined {
  const h = draft.header;
  if (h.format === 'NONE') return undefined;
  if (h.format === 'LOCATION') return { type: 'HEADER', format: 'LOCATION' };
  if (h.format !== 'TEXT') {
    return { type: 'HEADER', format: h.format, ...(h.handle && { example: { header_handle: [h.handle] } }) };
  }
  const samples = samplesFor(h.text, h.samples);
  const example =
    samples &&
    (draft.parameterFormat === 'positional'
      ? { header_text: samples.positional }
      : { header_text_named_params: samples.named });
  return { type: 'HEADER', format: 'TEXT', text: h.text, ...(example && { example }) };
}

function bodyComponent(draft: TemplateDraft): TemplateComponent {
  if (draft.category === 'AUTHENTICATION') {
    return { type: 'BODY', add_security_recommendation: draft.securityRecommendation };
  }
  const samples = samplesFor(draft.body, draft.samples);
  const example =
    samples &&
    (draft.parameterFormat === 'positional'
      ? { body_text: [samples.positional] }
      : { body_text_named_params: samples.named });
  return { type: 'BODY', text: draft.body, ...(example && { example }) };
}

function footerComponent(draft: TemplateDraft): TemplateComponent | undefined {
  if (draft.category === 'AUTHENTICATION') {
    const minutes = draft.codeExpiration.trim();
    return minutes === '' ? undefined : { type: 'FOOTER', code_expiration_minutes: Number(minutes) };
  }
  return draft.footer === '' ? undefined : { type: 'FOOTER', text: draft.footer };
}

function buttonOf(b: DraftButton): TemplateButton {
  switch (b.type) {
    case 'QUICK_REPLY':
      return { type: b.type, text: b.text };
    case 'URL':
      return {
        type: b.type,
        text: b.text,
        url: b.url,
        ...(variableKeys(b.url).length > 0 && { example: [b.example] }),
      };
    case 'PHONE_NUMBER':
      return { type: b.type, text: b.text, phone_number: b.phone_number };
    case 'COPY_CODE':
      return { type: b.type, example: b.example };
    case 'OTP':
      return { type: b.type, otp_type: b.otp_type, ...(b.text && { text: b.text }) };
  }
}

/** A saved template back in the editor's form (the inverse of `templateComponents`). */
export function draftOf(template: {
  name: string;
  language: string;
  category: Category;
  parameterFormat: ParameterFormat;
  components: readonly TemplateComponent[];
}): TemplateDraft {
  const draft: TemplateDraft = {
    ...emptyDraft(),
    name: template.name,
    language: template.language,
    category: template.category,
    parameterFormat: template.parameterFormat,
    securityRecommendation: false,
  };
  for (const c of template.components) {
    if (c.type === 'HEADER') {
      draft.header = { format: c.format, text: '', samples: {}, handle: '' };
      if (c.format === 'TEXT') {
        draft.header.text = c.text;
        draft.header.samples = samplesOf(c.text, c.example?.header_text, c.example?.header_text_named_params);
      } else if (c.format !== 'LOCATION') draft.header.handle = c.example?.header_handle?.[0] ?? '';
    } else if (c.type === 'BODY') {
      draft.body = c.text ?? '';
      draft.samples = samplesOf(draft.body, c.example?.body_text?.[0], c.example?.body_text_named_params);
      draft.securityRecommendation = c.add_security_recommendation ?? false;
    } else if (c.type === 'FOOTER') {
      draft.footer = c.text ?? '';
      draft.codeExpiration = c.code_expiration_minutes === undefined ? '' : String(c.code_expiration_minutes);
    } else {
      draft.buttons = c.buttons.map((b) => ({
        ...newButton(b.type),
        ...('text' in b && b.text !== undefined && { text: b.text }),
        ...(b.type === 'URL' && { url: b.url, example: b.example?.[0] ?? '' }),
        ...(b.type === 'PHONE_NUMBER' && { phone_number: b.phone_number }),
        ...(b.type === 'COPY_CODE' && { example: b.example }),
        ...(b.type === 'OTP' && { otp_type: b.otp_type }),
      }));
    }
  }
  return draft;
}

function samplesOf(
  text: string,
  positional: readonly string[] | undefined,
  named: readonly { param_name: string; example: string }[] | undefined,
): Record<string, string> {
  const samples: Record<string, string> = {};
  variableKeys(text).forEach((key, i) => {
    const value = positional?.[i];
    if (value !== undefined) samples[key] = value;
  });
  for (const p of named ?? []) samples[p.param_name] = p.example;
  return samples;
}
