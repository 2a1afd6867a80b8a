import { describe, expect, it } from 'vitest';
import { exportHref, formatOptions, parseOptions, suggestKey } from './people.js';

describe('people helpers', () => {
  it.each([
    ['Home district', 'home_district'],
    ['  Age (years) ', 'age_years'],
    ['Région préférée', 'region_preferee'],
    ['2nd language', 'f_2nd_language'],
    ['!!!', ''],
  ])('suggests the key %j → %j', (name, key) => {
    expect(suggestKey(name)).toBe(key);
  });

  it('reads options as `key = Label` lines or bare labels, and writes them back', () => {
    const options = parseOptions('north = North district\n\n  South East \nwest=West');
    expect(options).toEqual([
      { key: 'north', label: 'North district' },
      { key: 'south_east', label: 'South East' },
      { key: 'west', label: 'West' },
    ]);
    expect(formatOptions(options)).toBe('north = North district\nsouth_east = South East\nwest = West');
  });

  it('exports everyone, or one label with the label encoded', () => {
    expect(exportHref(undefined)).toBe('/v1/contacts/export.csv');
    expect(exportHref('vip & friends')).toBe('/v1/contacts/export.csv?label=vip+%26+friends');
  });
});
