import { describe, expect, it } from 'vitest';
import { maskName, maskPersonalData, maskPhone, maskUsername } from './mask.js';

describe('maskPhone keeps the country calling code and the last two digits', () => {
  it.each([
    ['27821234512', '+27 *******12'],
    ['+27 82 123 4512', '+27 *******12'],
    ['15551234567', '+1 ********67'],
    ['447700900123', '+44 ********23'],
    ['254712345678', '+254 *******78'],
    ['79161234567', '+7 ********67'],
    ['8613812345678', '+86 *********78'],
    ['1234', '****'],
  ])('%s -> %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });
});

describe('maskName keeps initials', () => {
  it.each([
    ['Thandi Mokoena', 'T*** M***'],
    ['  Ève  ', 'È***'],
    ['李 小龙', '李*** 小***'],
  ])('%s -> %s', (input, masked) => {
    expect(maskName(input)).toBe(masked);
  });
});

describe('maskPersonalData', () => {
  it('masks numbers and names anywhere in an event payload and drops raw copies', () => {
    const payload = {
      message_id: '5',
      wa_id: '27821234512',
      profile_name: 'Thandi',
      text: 'call me on 0821234512',
      raw: { from: '27821234512' },
      body: { to: '27821234512', type: 'text', text: { body: 'hi' } },
      context: { from: '15550001234' },
      contacts: [
        {
          name: { formatted_name: 'Sipho Dlamini' },
          phones: [{ phone: '+27 83 555 0101', wa_id: '27835550101' }],
        },
      ],
    };
    expect(maskPersonalData(payload)).toEqual({
      message_id: '5',
      wa_id: '+27 *******12',
      profile_name: 'T***',
      text: 'call me on 0821234512',
      body: { to: '+27 *******12', type: 'text', text: { body: 'hi' } },
      context: { from: '+1 ********34' },
      contacts: [
        {
          name: { formatted_name: 'S*** D***' },
          phones: [{ phone: '+27 *******01', wa_id: '+27 *******01' }],
        },
      ],
    });
  });
});

describe('maskPersonalData of profile changes', () => {
  it('masks a name change in contact.updated (from and to), as the live feed shows it', () => {
    const payload = {
      changes: {
        name: { from: 'Thandi Mokoena', to: 'Thandi M. Dlamini' },
        language: { from: 'en', to: 'zu' },
        username: { from: null, to: 'thandi_m' },
      },
      by: 'api',
    };
    expect(maskPersonalData(payload)).toEqual({
      changes: {
        name: { from: 'T*** M***', to: 'T*** M*** D***' },
        language: { from: 'en', to: 'zu' },
        username: { from: null, to: maskUsername('thandi_m') },
      },
      by: 'api',
    });
  });
});
