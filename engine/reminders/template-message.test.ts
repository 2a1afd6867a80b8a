import { describe, expect, it } from 'vitest';
import { reminderTemplateSchema } from './reminder.schema.js';
import { templateMessageFor } from './template-message.js';

const person = { name: 'Thandi', fields: { clinic: 'Soweto', code: '' } };

describe('a reminder’s template message for one person', () => {
  it('fills the text header, the body and a URL button’s suffix from the profile, with fallbacks', () => {
    const template = reminderTemplateSchema.parse({
      name: 'clinic_visit',
      language: 'en',
      category: 'utility',
      header: { type: 'text', source: { from: 'field', key: 'clinic', fallback: 'your clinic' } },
      body: [{ source: { from: 'name', fallback: 'there' } }, { source: { from: 'text', value: 'Monday' } }],
      buttons: [{ index: 1, source: { from: 'field', key: 'code', fallback: 'start' } }],
    });
    expect(templateMessageFor(template, person)).toEqual({
      type: 'template',
      name: 'clinic_visit',
      language: 'en',
      category: 'utility',
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'Soweto' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Thandi' },
            { type: 'text', text: 'Monday' },
          ],
        },
        { type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'start' }] },
      ],
    });
  });

  it('sends a media header’s link with every message, names named parameters, and omits empty parts', () => {
    const withImage = reminderTemplateSchema.parse({
      name: 'vaccination_day',
      language: 'en',
      category: 'marketing',
      header: { type: 'image', link: 'https://example.org/poster.png' },
      body: [{ name: 'first_name', source: { from: 'name', fallback: 'there' } }],
    });
    expect(templateMessageFor(withImage, { name: null, fields: {} }).components).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.org/poster.png' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'there', parameter_name: 'first_name' }] },
    ]);
    // A reminder stored before headers and buttons existed reads as having neither.
    const plain = reminderTemplateSchema.parse({
      name: 'hello',
      language: 'en',
      category: 'utility',
      body: [],
    });
    expect([plain.header, plain.buttons]).toEqual([null, []]);
    expect(templateMessageFor(plain, person)).toEqual({
      type: 'template',
      name: 'hello',
      language: 'en',
      category: 'utility',
    });
  });
});
