import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { HIDDEN_FIELDS } from '../../../../server/features/changes.ts';
import { tables } from '../../../../server/layers/tables.ts';
import { ImportFileError } from '../../../../server/transfer/formats/format.ts';
import { dbfNames, shapefile, SIDECAR } from '../../../../server/transfer/formats/shapefile.ts';
import { pointsShapefile } from '../../../../scripts/reliability/hostile-uploads.ts';

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

describe('the shapefile long-values sidecar', () => {
  const withSidecar = async (sidecar: string) => {
    const files = unzipSync(await pointsShapefile(2));
    return zipSync({ ...files, [`border_markers${SIDECAR}`]: strToU8(sidecar) });
  };

  it('is read back into the features', async () => {
    const result = await shapefile.read!(await withSidecar(JSON.stringify({ 'p-1': { notes: 'dài '.repeat(100) } })));
    expect(result.features[1]!.properties.notes).toBe('dài '.repeat(100));
  });

  it.each([
    ['not JSON', '{"p-1": {"notes": '],
    ['not an object of objects', '{"p-1": "notes"}'],
    ['a list', '[1, 2]'],
  ])('is a clear refusal when it is %s', async (_what, sidecar) => {
    const error = (await Promise.resolve(shapefile.read!(await withSidecar(sidecar))).catch((e: unknown) => e)) as ImportFileError;
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error.code).toBe('bad_shapefile');
    expect(error.text.vi).toContain('bị hỏng');
    expect(error.text.en).toContain(SIDECAR);
  });
});
