import { expect, it } from 'vitest';
import { bulkInsertSql, importFeatures } from '../../../server/import/bulk.ts';
import { tables } from '../../../server/layers/tables.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { loadTestParcels, testParcels } from '../../support/parcels.ts';

describeEachBackend('bulk import', ({ db }) => {
  const count = async () => (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM parcels'))[0]!.n;

  it('loads synthetic parcels in batches: valid, inside the province, not overlapping, with areas', async () => {
    const report = await loadTestParcels(db());
    expect(report).toEqual({ table: 'parcels', features: 300, batches: 3, replaced: true });
    expect(await count()).toBe(300);
    const [check] = await db().query<{ outside: number; invalid: number; overlaps: number; min_area: number; max_area: number }>(
      `SELECT
         (SELECT count(*)::int FROM parcels p, base_features b WHERE b.layer = 'province' AND NOT ST_Within(p.geom, b.geom)) AS outside,
         (SELECT count(*)::int FROM parcels WHERE NOT ST_IsValid(geom)) AS invalid,
         (SELECT count(*)::int FROM parcels a JOIN parcels b ON a.id < b.id AND a.geom && b.geom
            AND ST_Relate(a.geom, b.geom, '2********')) AS overlaps,
         (SELECT min(area_m2) FROM parcels) AS min_area, (SELECT max(area_m2) FROM parcels) AS max_area`,
    );
    expect(check).toMatchObject({ outside: 0, invalid: 0, overlaps: 0 });
    expect(check!.min_area).toBeGreaterThan(0);
    expect(check!.max_area).toBeLessThan(1_000_000);
  });

  it('replaces the table on a new edition, and bumps its revision', async () => {
    const [before] = await db().query<{ revision: number }>("SELECT revision FROM table_revisions WHERE table_name = 'parcels'");
    await loadTestParcels(db(), { count: 50, seed: 2 });
    expect(await count()).toBe(50);
    const [after] = await db().query<{ revision: number }>("SELECT revision FROM table_revisions WHERE table_name = 'parcels'");
    expect(after!.revision).toBeGreaterThan(before!.revision);
  });

  it('writes nothing when one feature of one batch is invalid', async () => {
    const before = await count();
    const batches = [...testParcels({ count: 40, seed: 3, batchSize: 20 })];
    batches[1]![5]!.geometry = { type: 'Polygon', coordinates: [[[106.75, 21.85], [106.76, 21.86], [106.76, 21.85], [106.75, 21.86], [106.75, 21.85]]] };
    await expect(importFeatures(db(), tables.parcels, batches, { replace: true })).rejects.toThrow(/parcels_geom_check|check constraint/);
    expect(await count()).toBe(before);
  });

  it('refuses thematic tables, whose writes must keep history', () => {
    expect(() => bulkInsertSql(tables.zones)).toThrow(/applyChange/);
  });
});
