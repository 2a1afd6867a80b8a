import { AppError } from '../../core/errors.js';

/** A query-language error pointing at a 0-based offset (shown as column offset + 1). */
export class QueryParseError extends AppError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super('bad_request', `${message} (at column ${offset + 1})`, [{ field: 'text', reason: message }]);
    this.name = 'QueryParseError';
  }

  override toJSON() {
    return { ...super.toJSON(), offset: this.offset, column: this.offset + 1 };
  }
}

export type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'string'; text: string; at: number }
  | { type: 'op'; text: '=' | '!=' | '>' | '>=' | '<' | '<=' | '~'; at: number }
  | { type: '(' | ')' | 'end'; at: number };

const word = /[A-Za-z0-9_.:+-]/;

/** Splits a query such as `age > 18 AND district = "north"` into tokens with their offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: ch, at: i++ });
    } else if (ch === '"' || ch === "'") {
      const start = i++;
      let value = '';
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length) throw new QueryParseError('unterminated string', start);
      i++;
      tokens.push({ type: 'string', text: value, at: start });
    } else if ('=!<>~'.includes(ch)) {
      const two = text.slice(i, i + 2);
      const op = two === '!=' || two === '>=' || two === '<=' ? two : two === '<>' ? '!=' : ch;
      if (op === '!') throw new QueryParseError('expected != after !', i);
      tokens.push({ type: 'op', text: op as '=', at: i });
      i += two === '!=' || two === '>=' || two === '<=' || two === '<>' ? 2 : 1;
    } else if (word.test(ch)) {
      const start = i;
      while (i < text.length && word.test(text[i]!)) i++;
      tokens.push({ type: 'word', text: text.slice(start, i), at: start });
    } else {
      throw new QueryParseError(`unexpected character ${JSON.stringify(ch)}`, i);
    }
  }
  tokens.push({ type: 'end', at: text.length });
  return tokens;
}
