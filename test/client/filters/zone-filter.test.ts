import { describe, expect, it } from 'vitest';
import { applyFilter, emptyFilter, parseFilter, serializeFilter, type ZoneFilter } from '../../../client/src/filters/zone-filter.ts';
import { collection, feature } from '../support/catalogue.ts';

const zones = collection(
  feature('known-vacant', { kind: 'industrial_park', status: 'operating', area_ha: 600, vacant_ha: 120, occupancy_pct: 40, communes: ['Hữu Lũng'] }),
  feature('small-vacant', { kind: 'industrial_cluster', status: 'operating', area_ha: 70, vacant_ha: 5, occupancy_pct: 90, communes: ['Na Dương'] }),
  feature('unknown-vacant', { kind: 'industrial_cluster', status: 'approved', area_ha: null, vacant_ha: null, occupancy_pct: null, communes: ['Na Dương'] }),
);
const ids = (f: Partial<ZoneFilter>) => applyFilter(zones, { ...emptyFilter, ...f }).features.map((z) => z.id);

describe('zone filter', () => {
  it('keeps everything when empty', () => {
    expect(ids({})).toEqual(['known-vacant', 'small-vacant', 'unknown-vacant']);
  });

  it('never counts unknown vacant land as "at least X"', () => {
    expect(ids({ vacantAtLeast: 10 })).toEqual(['known-vacant']);
    expect(ids({ vacantAtLeast: 0 })).toEqual(['known-vacant', 'small-vacant']);
  });

  it('filters by kind, status, commune and ranges together', () => {
    expect(ids({ kinds: ['industrial_cluster'] })).toEqual(['small-vacant', 'unknown-vacant']);
    expect(ids({ statuses: ['approved'] })).toEqual(['unknown-vacant']);
    expect(ids({ commune: 'Na Dương', statuses: ['operating'] })).toEqual(['small-vacant']);
    expect(ids({ area: { min: 50, max: 100 } })).toEqual(['small-vacant']);
    expect(ids({ occupancy: { min: null, max: 50 } })).toEqual(['known-vacant']);
  });

  it('round-trips through the URL', () => {
    const f: ZoneFilter = { kinds: ['industrial_cluster'], statuses: ['approved', 'operating'], commune: 'Na Dương', area: { min: 10, max: null }, occupancy: { min: null, max: 80 }, vacantAtLeast: 10 };
    const text = serializeFilter(f);
    expect(text).toBe('kind:industrial_cluster;status:approved,operating;commune:Na Dương;area:10..;occupancy:..80;vacant:10');
    expect(parseFilter(text)).toEqual(f);
    expect(serializeFilter(emptyFilter)).toBe('');
  });

  it('ignores what it cannot read', () => {
    expect(parseFilter('status:<script>;vacant:abc;area:x..y')).toEqual(emptyFilter);
  });
});
