import { describe, expect, it } from 'vitest';
import { HIDDEN_FIELDS } from '../../../../server/features/changes.ts';
import { tables } from '../../../../server/layers/tables.ts';
import { dbfNames } from '../../../../server/transfer/formats/shapefile.ts';

describe('shapefile columns', () => {
  it.each(Object.values(tables).map((t) => [t.name, t]))('are unique names of at most 10 characters in %s', (_name, table) => {
    const columns = [...dbfNames(['id', ...table.fields.map((f) => f.name), HIDDEN_FIELDS.name]).values()];
    expect(new Set(columns).size).toBe(columns.length);
    for (const c of columns) expect(c.length).toBeLessThanOrEqual(10);
  });

  it('numbers the later of two names that meet', () => {
    expect([...dbfNames(['full_name_vi', 'full_name_en', 'area_ha']).values()]).toEqual(['full_name_', 'full_nam_2', 'area_ha']);
  });
});
