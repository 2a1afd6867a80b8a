import type { FakeTemplate } from './fake-templates.js';
import type { GraphError } from './graph-errors.js';

type Component = {
  type?: string;
  format?: string;
  text?: string;
  buttons?: { type?: string; url?: string }[];
};
type SentComponent = { type?: string; sub_type?: string; index?: string | number; parameters?: unknown[] };

const variables = (text: string | undefined) =>
  new Set([...(text ?? '').matchAll(/\{\{([^{}]+)\}\}/g)].map((m) => m[1])).size;

/**
 * Meta's check of a template send against the approved template: every variable of the
 * header, the body and each URL button needs its parameter, and no more. A mismatch is
 * refused with code 132000, naming the component and both counts, before anything is sent.
 */
export function templateParameterError(template: FakeTemplate, sent: unknown): GraphError | null {
  const components = (template.components ?? []) as Component[];
  const given = ((sent as { components?: SentComponent[] } | undefined)?.components ?? []) as SentComponent[];
  const count = (match: (c: SentComponent) => boolean) => given.find(match)?.parameters?.length ?? 0;
  const expected: { part: string; want: number; got: number }[] = [];
  for (const c of components) {
    if (c.type === 'HEADER') {
      // A text header has its variable (at most one); a media or location header always needs its parameter.
      const want = c.format === 'TEXT' ? variables(c.text) : 1;
      expected.push({ part: 'header', want, got: count((s) => s.type === 'header') });
    } else if (c.type === 'BODY') {
      expected.push({ part: 'body', want: variables(c.text), got: count((s) => s.type === 'body') });
    } else if (c.type === 'BUTTONS') {
      (c.buttons ?? []).forEach((b, index) => {
        if (b.type !== 'URL' || variables(b.url) === 0) return;
        const got = count((s) => s.type === 'button' && s.sub_type === 'url' && Number(s.index) === index);
        expected.push({ part: `button ${index}`, want: 1, got });
      });
    }
  }
  const wrong = expected.find((e) => e.want !== e.got);
  if (!wrong) return null;
  return {
    kind: 'graph',
    httpStatus: 400,
    code: 132000,
    message: '(#132000) Number of parameters does not match the expected number of params',
    details: `${wrong.part}: number of localizable_params (${wrong.got}) does not match the expected number of params (${wrong.want})`,
  };
}
