import { describe, expect, it } from 'vitest';
import { tables } from '../../../server/layers/tables.ts';
import { checkValue } from '../../../server/features/validation.ts';

const field = (name: string) => tables.zones.fields.find((f) => f.name === name)!;

describe('checking one value', () => {
  // Found by the fuzz test: null for a list reached the NOT NULL column, a 500.
  it.each(['communes', 'aliases', 'legal_basis'])('stores a null %s as an empty list', (name) => {
    expect(checkValue(field(name), null)).toEqual({ value: [] });
  });

  // Found by the fuzz run: these reached numeric(10, 2) columns as overflows or as 0.00
  // against a "> 0" check, both 500s.
  it('refuses quantities no column holds, and positive ones that would be stored as 0', () => {
    expect(checkValue(field('area_ha'), 1.7976931348623157e308)).toHaveProperty('error.code', 'range');
    expect(checkValue(field('leasable_ha'), 1_853_722_106)).toHaveProperty('error.code', 'range');
    expect(checkValue(field('area_ha'), 7.3e-242)).toHaveProperty('error.code', 'positive');
    expect(checkValue(field('area_ha'), 12.345)).toEqual({ value: 12.35 });
  });

  // Found by the fuzz test: a NUL inside a file's list of sources reached PostgreSQL (a 500);
  // control characters also make KML exports invalid XML.
  it.each(['\u0000', '\u0001', '\u001B', '\uFFFE'])('refuses text holding the control character %j, in lists too', (character) => {
    expect(checkValue(field('notes'), `note${character}`)).toHaveProperty('error.code', 'invalid_character');
    expect(checkValue(field('sources'), ['SEED-001', `SEED${character}`])).toHaveProperty('error.code', 'invalid_character');
  });

  it('keeps tabs and line breaks in text', () => {
    expect(checkValue(field('notes'), 'first line\r\n\tsecond line')).toEqual({ value: 'first line\r\n\tsecond line' });
  });

  it('keeps null as "unknown" for other fields', () => {
    expect(checkValue(field('area_ha'), null)).toEqual({ value: null });
    expect(checkValue(field('notes'), '  ')).toEqual({ value: null });
  });
});
