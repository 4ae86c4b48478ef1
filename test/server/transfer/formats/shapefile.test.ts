import { describe, expect, it } from 'vitest';
import { HIDDEN_FIELDS } from '../../../../server/features/changes.ts';
import { tables } from '../../../../server/layers/tables.ts';
import { dbfName } from '../../../../server/transfer/formats/shapefile.ts';

describe('shapefile columns', () => {
  it.each(Object.values(tables).map((t) => [t.name, t]))('are unique within %s when cut to dBASE’s 10 characters', (_name, table) => {
    const names = ['id', ...table.fields.map((f) => f.name), HIDDEN_FIELDS.name].map(dbfName);
    expect(new Set(names).size).toBe(names.length);
  });
});
