import { describe, expect, it } from 'vitest';
import { renderTemplate, sampleValues } from './render-template.js';
import type { TemplateComponent } from './template.schema.js';

const body = (text: string): TemplateComponent => ({ type: 'BODY', text });

describe('renderTemplate shows the message as WhatsApp would', () => {
  it.each<
    [string, TemplateComponent[], Parameters<typeof renderTemplate>[1], ReturnType<typeof renderTemplate>]
  >([
    [
      'positional body with values',
      [body('Hi {{1}}, on {{2}}.')],
      { body: { '1': 'Thandi', '2': 'Monday' } },
      { header: null, body: 'Hi Thandi, on Monday.', footer: null, buttons: [], missing: [] },
    ],
    [
      'named body, a value missing stays as written',
      [body('Hi {{first_name}}, code {{code}}.')],
      { body: { first_name: 'Sipho' } },
      { header: null, body: 'Hi Sipho, code {{code}}.', footer: null, buttons: [], missing: ['body.code'] },
    ],
    [
      'header, footer, URL button with suffix, phone and quick reply',
      [
        { type: 'HEADER', format: 'TEXT', text: 'Visit {{1}}' },
        body('See you.'),
        { type: 'FOOTER', text: 'Clinic' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'URL', text: 'Open', url: 'https://x.org/v/{{1}}' },
            { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+2783' },
            { type: 'QUICK_REPLY', text: 'Yes' },
          ],
        },
      ],
      { header: { '1': 'Monday' }, buttons: { '0': '42' } },
      {
        header: { format: 'TEXT', text: 'Visit Monday' },
        body: 'See you.',
        footer: 'Clinic',
        buttons: [
          { type: 'URL', text: 'Open', url: 'https://x.org/v/42' },
          { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+2783' },
          { type: 'QUICK_REPLY', text: 'Yes' },
        ],
        missing: [],
      },
    ],
    [
      'authentication template: Meta wording',
      [
        { type: 'BODY', add_security_recommendation: true },
        { type: 'FOOTER', code_expiration_minutes: 10 },
        { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] },
      ],
      {},
      {
        header: null,
        body: '{{code}} is your verification code. For your security, do not share this code.',
        footer: 'This code expires in 10 minutes.',
        buttons: [{ type: 'OTP', text: 'Copy code' }],
        missing: [],
      },
    ],
  ])('%s', (_label, components, values, expected) => {
    expect(renderTemplate(components, values)).toEqual(expected);
  });

  it('sampleValues reads the examples the template was submitted with', () => {
    const components: TemplateComponent[] = [
      { type: 'HEADER', format: 'TEXT', text: 'Visit {{1}}', example: { header_text: ['Monday'] } },
      { type: 'BODY', text: 'Hi {{1}} and {{2}}.', example: { body_text: [['A', 'B']] } },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'URL', text: 'Open', url: 'https://x.org/v/{{1}}', example: ['https://x.org/v/42'] },
        ],
      },
    ];
    expect(sampleValues(components)).toEqual({
      header: { '1': 'Monday' },
      body: { '1': 'A', '2': 'B' },
      buttons: { '0': '42' },
    });
  });

  it('sampleValues leaves out blank samples, so a draft preview lists them as missing', () => {
    const components: TemplateComponent[] = [
      { type: 'BODY', text: 'Hi {{1}} and {{2}}.', example: { body_text: [['A', ' ']] } },
    ];
    expect(sampleValues(components)).toEqual({ header: {}, body: { '1': 'A' }, buttons: {} });
    expect(renderTemplate(components, sampleValues(components))).toMatchObject({
      body: 'Hi A and {{2}}.',
      missing: ['body.2'],
    });
  });
});
