import { describe, expect, it } from 'vitest';
import { tables } from '../../../server/layers/tables.ts';
import { checkValue } from '../../../server/features/validation.ts';

const field = (name: string) => tables.zones.fields.find((f) => f.name === name)!;

describe('checking one value', () => {
  // Found by the fuzz test: null for a list reached the NOT NULL column, a 500.
  it.each(['communes', 'aliases', 'legal_basis'])('stores a null %s as an empty list', (name) => {
    expect(checkValue(field(name), null)).toEqual({ value: [] });
  });

  it('keeps null as "unknown" for other fields', () => {
    expect(checkValue(field('area_ha'), null)).toEqual({ value: null });
    expect(checkValue(field('notes'), '  ')).toEqual({ value: null });
  });
});
