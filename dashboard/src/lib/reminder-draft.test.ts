import { describe, expect, it } from 'vitest';
import {
  bodyVariables,
  emptyReminderDraft,
  headerMedia,
  previewValues,
  reminderInputOf,
  stepOfField,
  variableSlots,
} from './reminder-draft.js';

const positional = {
  name: 'clinic_visit',
  language: 'en',
  category: 'UTILITY',
  parameterFormat: 'positional' as const,
  components: [
    { type: 'HEADER', text: 'Clinic' },
    { type: 'BODY', text: 'Hi {{1}}, your visit at {{2}} is on {{3}}. {{1}}, bring your card.' },
  ],
};

describe('the reminder wizard’s draft', () => {
  it('reads the body’s variables once each, in number order', () => {
    expect(bodyVariables(positional)).toEqual(['1', '2', '3']);
    expect(bodyVariables({ ...positional, components: [{ type: 'BODY', text: 'No variables.' }] })).toEqual(
      [],
    );
  });

  it('becomes the reminder the server takes: variables in order, a segment, options as numbers', () => {
    const draft = {
      ...emptyReminderDraft('Africa/Johannesburg'),
      name: '  Weekly visit ',
      templateId: '4',
      segmentId: '7',
      variables: {
        '1': { from: 'name' as const, key: '', fallback: 'there', value: '' },
        '2': { from: 'field' as const, key: 'clinic', fallback: 'your clinic', value: '' },
        '3': { from: 'text' as const, key: '', fallback: '', value: 'Monday' },
      },
      schedule: 'cron' as const,
      cron: ' 0 9 * * 1 ',
      skipRecentDays: '6',
    };
    expect(reminderInputOf(draft, positional)).toEqual({
      name: 'Weekly visit',
      template: {
        name: 'clinic_visit',
        language: 'en',
        category: 'utility',
        body: [
          { source: { from: 'name', fallback: 'there' } },
          { source: { from: 'field', key: 'clinic', fallback: 'your clinic' } },
          { source: { from: 'text', value: 'Monday' } },
        ],
        header: null,
        buttons: [],
      },
      audience: { segment_id: '7' },
      schedule: { kind: 'cron', expression: '0 9 * * 1', timezone: 'Africa/Johannesburg' },
      options: { skip_recent_days: 6, stop_when_empty: false, journey_on_reply: null },
    });
  });

  it('names named parameters, sends a list’s people, and an exact time as an instant', () => {
    const named = {
      ...positional,
      parameterFormat: 'named' as const,
      components: [{ type: 'BODY', text: 'Hi {{first_name}}' }],
    };
    const draft = {
      ...emptyReminderDraft('UTC'),
      name: 'Once',
      audience: 'list' as const,
      listedIds: ['3', '9'],
      schedule: 'at' as const,
      at: '2027-01-05T09:30:00Z',
    };
    const input = reminderInputOf(draft, named);
    expect(input.template.body).toEqual([{ name: 'first_name', source: { from: 'name', fallback: '' } }]);
    expect(input.audience).toEqual({ contact_ids: ['3', '9'] });
    expect(input.schedule).toEqual({ kind: 'at', at: '2027-01-05T09:30:00.000Z' });
    expect(reminderInputOf({ ...draft, at: '' }, named).schedule).toEqual({ kind: 'at', at: '' });
  });

  it('asks for the header’s variable, the body’s and each URL button’s suffix, and a media header’s link', () => {
    const rich = {
      ...positional,
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Visit at {{1}}' },
        { type: 'BODY', text: 'Hi {{1}}' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Yes' },
            { type: 'URL', text: 'Book', url: 'https://clinic.example/book/{{1}}' },
            { type: 'URL', text: 'Map', url: 'https://clinic.example/map' },
          ],
        },
      ],
    };
    expect(variableSlots(rich)).toEqual([
      { id: 'header', label: 'Header {{1}}', path: 'template.header.source' },
      { id: '1', label: '{{1}}', path: 'template.body.0.source' },
      { id: 'button:1', label: 'Button “Book” {{1}}', path: 'template.buttons.0.source' },
    ]);
    const text = (value: string) => ({ from: 'text' as const, key: '', fallback: '', value });
    const draft = {
      ...emptyReminderDraft('UTC'),
      variables: { header: text('Soweto'), '1': text('Thandi'), 'button:1': text('abc123') },
    };
    const input = reminderInputOf(draft, rich);
    expect([input.template.header, input.template.buttons]).toEqual([
      { type: 'text', source: { from: 'text', value: 'Soweto' } },
      [{ index: 1, source: { from: 'text', value: 'abc123' } }],
    ]);
    const poster = {
      ...positional,
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Come' },
      ],
    };
    expect(headerMedia(poster)).toBe('image');
    expect(variableSlots(poster)).toEqual([]);
    expect(
      reminderInputOf({ ...draft, headerLink: ' https://x.org/p.png ' }, poster).template.header,
    ).toEqual({
      type: 'image',
      link: 'https://x.org/p.png',
    });
  });

  it('previews profile values as where they come from, never as anybody’s data', () => {
    const rich = {
      ...positional,
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'At {{1}}' },
        { type: 'BODY', text: 'Hi {{1}}, on {{2}}' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Book', url: 'https://x.org/{{1}}' }] },
      ],
    };
    const draft = {
      ...emptyReminderDraft('UTC'),
      variables: {
        header: { from: 'field' as const, key: 'clinic', fallback: 'your clinic', value: '' },
        '1': { from: 'name' as const, key: '', fallback: '', value: '' },
        '2': { from: 'text' as const, key: '', fallback: '', value: 'Monday' },
        'button:0': { from: 'field' as const, key: 'code', fallback: 'start', value: '' },
      },
    };
    expect(previewValues(draft, rich, new Map([['clinic', 'Clinic']]))).toEqual({
      header: { '1': '‹Clinic, else your clinic›' },
      body: { '1': '‹name›', '2': 'Monday' },
      buttons: { '0': '‹code, else start›' },
    });
  });

  it('sends each of the server’s reasons to the step that has the input', () => {
    expect(
      [
        'template.body.1.source.fallback',
        'template.name',
        'audience.segment_id',
        'schedule.at',
        'options.skip_recent_days',
        'name',
        'template.header.link',
        'template.buttons.0.source.key',
      ].map(stepOfField),
    ).toEqual([
      'variables',
      'template',
      'audience',
      'schedule',
      'schedule',
      'template',
      'variables',
      'variables',
    ]);
  });
});
