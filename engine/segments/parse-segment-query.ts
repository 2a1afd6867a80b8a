import type { CustomFieldType } from './compile-builder.js';
import { QueryParseError, type Token, tokenize } from './query-tokens.js';
import type { Builder, BuilderNode, Condition } from './segment-builder.schema.js';

/**
 * The query-language shortcut (RapidPro's contact query syntax, simplified): comparisons
 * joined by AND / OR (AND binds tighter; adjacent conditions mean AND), NOT and brackets.
 * `age > 18 AND district = "north"`, `label = "vip"`, `NOT blocked`, `language != en`,
 * `opt_in = opted_in`, `last_message > 2026-01-01`, `replied_to_reminder = 12`,
 * `button = "yes"`, `completed_journey = 3`, `field = ""` (not set), `field != ""` (set),
 * `name ~ "ann"` (contains). It builds the same tree as the builder, so the same SQL.
 */
export function parseSegmentQuery(text: string, fields: ReadonlyMap<string, CustomFieldType>): Builder {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position]!;
  const next = () => tokens[position++]!;
  const keyword = (token: Token, name: string) => token.type === 'word' && token.text.toUpperCase() === name;

  function or(): BuilderNode {
    const parts = [and()];
    while (keyword(peek(), 'OR')) {
      next();
      parts.push(and());
    }
    return group('or', parts);
  }
  function and(): BuilderNode {
    const parts = [unary()];
    for (;;) {
      if (keyword(peek(), 'AND')) next();
      else if (!(peek().type === '(' || (peek().type === 'word' && !keyword(peek(), 'OR')))) break;
      parts.push(unary());
    }
    return group('and', parts);
  }
  function unary(): BuilderNode {
    if (keyword(peek(), 'NOT')) {
      next();
      return { kind: 'not', condition: unary() };
    }
    const token = next();
    if (token.type === '(') {
      const inner = or();
      const close = next();
      if (close.type !== ')') throw new QueryParseError('expected )', close.at);
      return inner;
    }
    if (token.type !== 'word') throw new QueryParseError('expected a field name', token.at);
    if (peek().type !== 'op') {
      if (token.text.toLowerCase() === 'blocked') return { kind: 'blocked', value: true };
      throw new QueryParseError(`expected an operator after ${token.text}`, peek().at);
    }
    const op = next() as Extract<Token, { type: 'op' }>;
    const value = next();
    if (value.type !== 'word' && value.type !== 'string')
      throw new QueryParseError('expected a value', value.at);
    return comparison(token, op, value);
  }

  function comparison(
    name: Extract<Token, { type: 'word' }>,
    op: Extract<Token, { type: 'op' }>,
    value: Extract<Token, { type: 'word' | 'string' }>,
  ): Condition {
    const fail = (message: string, at = op.at): never => {
      throw new QueryParseError(message, at);
    };
    const equality = () =>
      op.text === '=' ? 'eq' : op.text === '!=' ? 'neq' : fail(`use = or != with ${name.text}`);
    const equalsOnly = () => {
      if (op.text !== '=') fail(`use = with ${name.text}`);
      return value.text;
    };
    switch (name.text.toLowerCase()) {
      case 'label':
      case 'labels':
        return { kind: 'label', op: equality() === 'eq' ? 'has' : 'has_not', label: value.text };
      case 'language':
        return { kind: 'language', op: equality(), value: value.text };
      case 'opt_in':
      case 'optin': {
        const state = equalsOnly();
        if (state !== 'unknown' && state !== 'opted_in' && state !== 'opted_out') {
          return fail('opt_in is unknown, opted_in or opted_out', value.at);
        }
        return { kind: 'opt_in', value: state };
      }
      case 'marketing_opt_in': {
        const state = equalsOnly();
        if (state !== 'unknown' && state !== 'opted_in' && state !== 'opted_out') {
          return fail('marketing_opt_in is unknown, opted_in or opted_out', value.at);
        }
        return { kind: 'marketing_opt_in', value: state };
      }
      case 'blocked': {
        const flag = value.text.toLowerCase();
        if (flag !== 'true' && flag !== 'false') return fail('blocked is true or false', value.at);
        return { kind: 'blocked', value: (flag === 'true') === (equality() === 'eq') };
      }
      case 'first_message':
      case 'last_message': {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(value.text)) return fail('expected a date as YYYY-MM-DD', value.at);
        const type =
          op.text === '>' ? 'after' : op.text === '<' ? 'before' : fail(`use > or < with ${name.text}`);
        return { kind: name.text.toLowerCase() as 'first_message', period: { type, date: value.text } };
      }
      case 'replied_to_reminder':
        return { kind: 'replied_to_reminder', reminderId: equalsOnly() };
      case 'button':
        return { kind: 'pressed_button', value: equalsOnly() };
      case 'started_journey':
      case 'completed_journey':
      case 'dropped_journey': {
        const event = name.text.toLowerCase().split('_')[0] as 'started';
        return { kind: 'journey', event, journeyId: equalsOnly() };
      }
    }
    const key = name.text.toLowerCase();
    const type = fields.get(key) ?? fail(`no field named ${name.text}`, name.at);
    if (value.text === '' && (op.text === '=' || op.text === '!=')) {
      return { kind: 'field', key, op: op.text === '=' ? 'not_set' : 'set' };
    }
    const ops = {
      '=': 'eq',
      '!=': 'neq',
      '>': 'gt',
      '>=': 'gte',
      '<': 'lt',
      '<=': 'lte',
      '~': 'contains',
    } as const;
    let typed: string | number | boolean = value.text;
    if (type === 'number') {
      typed = Number(value.text);
      if (value.text.trim() === '' || !Number.isFinite(typed))
        return fail(`${name.text} needs a number`, value.at);
    } else if (type === 'boolean') {
      const flag = value.text.toLowerCase();
      if (flag !== 'true' && flag !== 'false') return fail(`${name.text} is true or false`, value.at);
      typed = flag === 'true';
    }
    return { kind: 'field', key, op: ops[op.text], value: typed };
  }

  const tree = or();
  if (peek().type !== 'end') throw new QueryParseError('unexpected text', peek().at);
  return tree.kind === 'group' ? tree : { kind: 'group', op: 'and', conditions: [tree] };
}

/** One group per run of the same operator: `a AND b AND c` is one group, not nested pairs. */
function group(op: 'and' | 'or', parts: BuilderNode[]): BuilderNode {
  if (parts.length === 1) return parts[0]!;
  return {
    kind: 'group',
    op,
    conditions: parts.flatMap((p) => (p.kind === 'group' && p.op === op ? p.conditions : [p])),
  };
}
