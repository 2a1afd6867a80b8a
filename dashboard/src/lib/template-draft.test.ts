import { describe, expect, it } from 'vitest';
import { validateTemplate } from '../../../engine/templates/validate-template.js';
import {
  draftOf,
  emptyDraft,
  newButton,
  type TemplateDraft,
  templateComponents,
  variableKeys,
} from './template-draft.js';

const utility: TemplateDraft = {
  ...emptyDraft(),
  name: 'clinic_reminder',
  header: { format: 'TEXT', text: 'Hello {{1}}', samples: { '1': 'Thandi' }, handle: '' },
  body: 'Your visit is on {{2}} at {{1}}, see you then.',
  samples: { '1': 'Soweto clinic', '2': '5 May' },
  footer: 'Reply STOP to stop',
  buttons: [
    {
      ...newButton('URL'),
      text: 'Directions',
      url: 'https://example.org/c/{{1}}',
      example: 'https://example.org/c/42',
    },
    { ...newButton('PHONE_NUMBER'), text: 'Call us', phone_number: '+27110000000' },
    { ...newButton('QUICK_REPLY'), text: 'Confirm' },
    { ...newButton('QUICK_REPLY'), text: 'Move it' },
  ],
};

const named: TemplateDraft = {
  ...emptyDraft(),
  name: 'offer',
  category: 'MARKETING',
  parameterFormat: 'named',
  header: { format: 'IMAGE', text: '', samples: {}, handle: '4::aW1hZ2U=' },
  body: 'Hi {{first_name}}, use {{code}} before Friday.',
  samples: { first_name: 'Thandi', code: 'SAVE10' },
  buttons: [{ ...newButton('COPY_CODE'), example: 'SAVE10' }],
};

const authentication: TemplateDraft = {
  ...emptyDraft(),
  name: 'login_code',
  category: 'AUTHENTICATION',
  securityRecommendation: true,
  codeExpiration: '10',
  buttons: [{ ...newButton('OTP'), otp_type: 'COPY_CODE', text: 'Copy code' }],
};

describe('template drafts and Meta components', () => {
  it.each([
    ['Hi {{2}} and {{1}} and {{2}}', ['1', '2']],
    ['Hi {{first_name}}, {{code}}', ['first_name', 'code']],
    ['no variables', []],
  ])('reads the variables of %j as %j', (text, keys) => {
    expect(variableKeys(text)).toEqual(keys);
  });

  it('builds positional components with samples in number order, and says where each part is', () => {
    const { components, at } = templateComponents(utility);
    expect(at).toEqual({ header: 0, body: 1, footer: 2, buttons: 3 });
    expect(components).toEqual([
      { type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}', example: { header_text: ['Thandi'] } },
      {
        type: 'BODY',
        text: 'Your visit is on {{2}} at {{1}}, see you then.',
        example: { body_text: [['Soweto clinic', '5 May']] },
      },
      { type: 'FOOTER', text: 'Reply STOP to stop' },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Directions',
            url: 'https://example.org/c/{{1}}',
            example: ['https://example.org/c/42'],
          },
          { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+27110000000' },
          { type: 'QUICK_REPLY', text: 'Confirm' },
          { type: 'QUICK_REPLY', text: 'Move it' },
        ],
      },
    ]);
  });

  it('builds named samples, a media header and an authentication template Meta writes', () => {
    expect(templateComponents(named).components.slice(0, 2)).toEqual([
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } },
      {
        type: 'BODY',
        text: 'Hi {{first_name}}, use {{code}} before Friday.',
        example: {
          body_text_named_params: [
            { param_name: 'first_name', example: 'Thandi' },
            { param_name: 'code', example: 'SAVE10' },
          ],
        },
      },
    ]);
    expect(templateComponents(authentication)).toEqual({
      components: [
        { type: 'BODY', add_security_recommendation: true },
        { type: 'FOOTER', code_expiration_minutes: 10 },
        { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
      ],
      at: { body: 0, footer: 1, buttons: 2 },
    });
  });

  it.each([
    ['utility', utility],
    ['named marketing', named],
    ['authentication', authentication],
  ])('a complete %s draft passes Meta rules and reads back into the same draft', (_, draft) => {
    const { components } = templateComponents(draft);
    const input = {
      name: draft.name,
      language: draft.language,
      category: draft.category,
      parameter_format: draft.parameterFormat,
      components,
    };
    expect(validateTemplate(input)).toMatchObject({ ok: true });
    const back = draftOf({ ...draft, components });
    expect(templateComponents(back).components).toEqual(components);
  });

  it('leaves a missing sample empty, for the server to name the field', () => {
    const { components } = templateComponents({ ...utility, samples: { '1': 'Soweto clinic' } });
    expect(components[1]).toMatchObject({ example: { body_text: [['Soweto clinic', '']] } });
  });
});
