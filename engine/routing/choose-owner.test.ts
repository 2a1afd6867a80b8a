import { describe, expect, it } from 'vitest';
import { chooseOwner, type RouteCandidate } from './choose-owner.js';

const says = (word: string): RouteCandidate<string> => ({
  id: `on-${word}`,
  matches: (text) => text === word,
});
const anything: RouteCandidate<string> = { id: 'catch-all', matches: () => true };
const run = { kind: 'journey_run' as const, owner_id: 'run-7' };
const chat = { kind: 'operator_chat' as const, owner_id: 'operator-3' };

describe('chooseOwner', () => {
  it.each([
    [
      'a run in progress beats everything',
      'join',
      [run, chat],
      [says('join')],
      [anything],
      ['journey_run', 'run-7'],
    ],
    [
      'an open chat beats a matching trigger',
      'join',
      [chat],
      [says('join')],
      [anything],
      ['operator_chat', 'operator-3'],
    ],
    [
      'a trigger beats an automation',
      'join',
      [],
      [says('stop'), says('join')],
      [anything],
      ['journey_trigger', 'on-join'],
    ],
    [
      'the first matching trigger wins',
      'join',
      [],
      [says('join'), { ...says('join'), id: 'second' }],
      [],
      ['journey_trigger', 'on-join'],
    ],
    [
      'an automation takes what no trigger matches',
      'hello',
      [],
      [says('join')],
      [anything],
      ['automation', 'catch-all'],
    ],
    ['nobody when nothing matches', 'hello', [], [says('join')], [says('menu')], ['nobody', null]],
  ] as const)('%s', (_name, text, claims, triggers, automations, [kind, id]) => {
    expect(chooseOwner(text, { claims, triggers, automations })).toEqual({ kind, id });
  });
});
