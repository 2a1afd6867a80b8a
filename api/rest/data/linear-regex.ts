import { RE2JS } from 're2js';

/**
 * Compiles a caller's scrubbing pattern with RE2 (re2js, a pure JavaScript port): matching
 * takes time linear in the text, so a pattern such as `(\w+)*\.$`, which makes a
 * backtracking engine (JavaScript's RegExp) run for seconds on one line, cannot stall the
 * server. RE2 has no backreferences or lookaround; such a pattern is refused with the reason.
 */
export function compileLinearRegex(pattern: string): { ok: true; regex: RE2JS } | { ok: false; reason: string } {
  try {
    return { ok: true, regex: RE2JS.compile(pattern) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not a valid RE2 regular expression (${detail})` };
  }
}

/** Replaces every match; `$1`, `$2` in the replacement insert groups, as in JavaScript. */
export function replaceAllLinear(regex: RE2JS, text: string, replacement: string): string {
  return regex.matcher(text).replaceAll(replacement);
}
