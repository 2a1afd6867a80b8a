import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { assertValidTemplate, validateTemplate } from './validate-template.js';

const body = (text: string, values?: string[]) => ({
  type: 'BODY',
  text,
  ...(values && { example: { body_text: [values] } }),
});
const base = {
  name: 'appointment_reminder',
  language: 'en_US',
  category: 'UTILITY',
  components: [body('Hello {{1}}, your visit is on {{2}}.', ['Thandi', '5 May'])],
};
const withComponents = (...components: unknown[]) => ({ ...base, components });
const buttons = (...list: unknown[]) => ({ type: 'BUTTONS', buttons: list });
const qr = (text = 'Yes') => ({ type: 'QUICK_REPLY', text });
const url = (u = 'https://example.org/a') => ({ type: 'URL', text: 'Open', url: u });

const errorsOf = (input: unknown) => {
  const result = validateTemplate(input);
  return result.ok ? [] : result.errors;
};

describe('validateTemplate accepts what Meta accepts', () => {
  it.each([
    ['a body with positional variables', base],
    [
      'named variables with samples',
      {
        ...base,
        parameter_format: 'named',
        components: [
          {
            type: 'BODY',
            text: 'Hi {{first_name}}, see you {{day}}.',
            example: {
              body_text_named_params: [
                { param_name: 'first_name', example: 'Thandi' },
                { param_name: 'day', example: 'Monday' },
              ],
            },
          },
        ],
      },
    ],
    [
      'text header, footer and a URL button with a suffix',
      withComponents(
        { type: 'HEADER', format: 'TEXT', text: 'Visit {{1}}', example: { header_text: ['Monday'] } },
        body('Hello {{1}}, see you soon.', ['Thandi']),
        { type: 'FOOTER', text: 'Reply STOP to stop' },
        buttons(
          {
            type: 'URL',
            text: 'Open',
            url: 'https://example.org/v/{{1}}',
            example: ['https://example.org/v/42'],
          },
          { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+27831234567' },
          qr('Yes'),
          qr('No'),
        ),
      ),
    ],
    [
      'an image header with a handle',
      withComponents(
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW'] } },
        body('Hi there'),
      ),
    ],
    [
      'an authentication template with an OTP button',
      {
        ...base,
        category: 'AUTHENTICATION',
        components: [
          { type: 'BODY', add_security_recommendation: true },
          { type: 'FOOTER', code_expiration_minutes: 10 },
          buttons({ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }),
        ],
      },
    ],
  ])('%s', (_label, input) => {
    expect(errorsOf(input)).toEqual([]);
  });
});

describe('validateTemplate refuses what Meta refuses, naming the field', () => {
  const tooLong = 'x'.repeat(1025);
  it.each([
    [
      'name with capitals',
      { ...base, name: 'Reminder' },
      'name',
      'only lowercase letters, digits and underscores',
    ],
    ['name too long', { ...base, name: 'a'.repeat(513) }, 'name', 'must be 1 to 512 characters'],
    [
      'unknown language',
      { ...base, language: 'xx_YY' },
      'language',
      'xx_YY is not a language Meta supports for templates (e.g. en, en_US, pt_BR)',
    ],
    [
      'no body',
      withComponents({ type: 'FOOTER', text: 'f' }),
      'components',
      'a template has exactly one BODY',
    ],
    [
      'body over 1,024 characters',
      withComponents(body(tooLong)),
      'components[0].text',
      'the body has at most 1,024 characters',
    ],
    [
      'variables not in sequence',
      withComponents(body('Hi {{1}} and {{3}}.', ['a', 'b'])),
      'components[0].text',
      'variables are numbered in sequence from {{1}}; found {{1}}, {{3}}',
    ],
    [
      'named variable in a positional template',
      withComponents(body('Hi {{name}}.', ['a'])),
      'components[0].text',
      'parameter_format is positional: use {{1}}, {{2}}, ... (or set parameter_format to named)',
    ],
    [
      'a body that starts with a variable',
      withComponents(body('{{1}} is due.', ['Rent'])),
      'components[0].text',
      'Meta refuses a body that starts or ends with a variable: add text before and after',
    ],
    [
      'a body that ends with a variable',
      withComponents(body('Your code is {{1}}', ['1234'])),
      'components[0].text',
      'Meta refuses a body that starts or ends with a variable: add text before and after',
    ],
    [
      'missing samples',
      withComponents(body('Hi {{1}}, on {{2}}.', ['a'])),
      'components[0].example.body_text[0]',
      'give 2 sample value(s), one per variable, none empty',
    ],
    [
      'a malformed variable',
      withComponents(body('Hi {{First Name}}.')),
      'components[0].text',
      '{{First Name}} is not a variable: use {{1}} or a lowercase name like {{first_name}}',
    ],
    [
      'two header variables',
      withComponents(
        { type: 'HEADER', format: 'TEXT', text: '{{1}} {{2}}', example: { header_text: ['a', 'b'] } },
        body('Hi'),
      ),
      'components[0].text',
      'a text header has at most one variable',
    ],
    [
      'header over 60 characters',
      withComponents({ type: 'HEADER', format: 'TEXT', text: 'h'.repeat(61) }, body('Hi')),
      'components[0].text',
      'a text header has 1 to 60 characters',
    ],
    [
      'video header without a handle',
      withComponents({ type: 'HEADER', format: 'VIDEO' }, body('Hi')),
      'components[0].example.header_handle',
      'a VIDEO header needs an example media handle',
    ],
    [
      'footer with a variable',
      withComponents(body('Hi'), { type: 'FOOTER', text: 'Bye {{1}}' }),
      'components[1].text',
      'a footer has no variables',
    ],
    [
      'eleven buttons',
      withComponents(body('Hi'), buttons(...Array.from({ length: 11 }, () => qr()))),
      'components[1].buttons',
      'a template has at most 10 buttons',
    ],
    [
      'three URL buttons',
      withComponents(body('Hi'), buttons(url(), url(), url())),
      'components[1].buttons',
      'at most 2 URL buttons',
    ],
    [
      'two phone buttons',
      withComponents(
        body('Hi'),
        buttons(
          { type: 'PHONE_NUMBER', text: 'a', phone_number: '+2783123' },
          { type: 'PHONE_NUMBER', text: 'b', phone_number: '+2783124' },
        ),
      ),
      'components[1].buttons',
      'at most 1 PHONE_NUMBER button',
    ],
    [
      'quick replies not grouped',
      withComponents(body('Hi'), buttons(qr(), url(), qr('No'))),
      'components[1].buttons',
      'quick reply buttons must be grouped together, before or after the others',
    ],
    [
      'URL variable not at the end',
      withComponents(body('Hi'), buttons(url('https://example.org/{{1}}/x'))),
      'components[1].buttons[0].url',
      'the variable must be at the end of the URL',
    ],
    [
      'URL variable without an example',
      withComponents(body('Hi'), buttons(url('https://example.org/{{1}}'))),
      'components[1].buttons[0].example',
      'give the full example URL, with a sample value for {{1}}',
    ],
    [
      'button text over 25 characters',
      withComponents(body('Hi'), buttons(qr('q'.repeat(26)))),
      'components[1].buttons[0].text',
      'button text has 1 to 25 characters',
    ],
    [
      'copy code in a utility template',
      withComponents(body('Hi'), buttons({ type: 'COPY_CODE', example: 'SAVE10' })),
      'components[1].buttons[0].type',
      'copy code buttons are for MARKETING templates',
    ],
    [
      'OTP button outside authentication',
      withComponents(body('Hi'), buttons({ type: 'OTP', otp_type: 'COPY_CODE' })),
      'components[1].buttons[0].type',
      'OTP buttons are for AUTHENTICATION templates',
    ],
    [
      'unknown category (shape)',
      { ...base, category: 'PROMO' },
      'category',
      'Invalid option: expected one of "MARKETING"|"UTILITY"|"AUTHENTICATION"',
    ],
  ])('%s', (_label, input, field, reason) => {
    expect(errorsOf(input)).toEqual([{ field, reason }]);
  });

  it('assertValidTemplate throws validation_failed with every field', () => {
    const input = { ...base, name: 'Bad Name', components: [body('{{1}}', [])] };
    const error = (() => {
      try {
        assertValidTemplate(input);
      } catch (e) {
        return e;
      }
    })() as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toEqual([
      { field: 'name', reason: 'only lowercase letters, digits and underscores' },
      {
        field: 'components[0].text',
        reason: 'Meta refuses a body that starts or ends with a variable: add text before and after',
      },
      {
        field: 'components[0].example.body_text[0]',
        reason: 'give 1 sample value(s), one per variable, none empty',
      },
    ]);
  });
});
