import { describe, expect, it } from 'vitest';
import { geodesicLength } from '../../../client/src/analysis/measure.ts';
import { kmByStatus, landByStatusAndKind, ranking } from '../../../client/src/dashboard/stats.ts';
import { feature, vocabularies } from '../support/catalogue.ts';

const zones = [
  feature('p1', { kind: 'industrial_park', status: 'under_construction', area_ha: 600, occupancy_pct: null, vacant_ha: null, name_vi: 'VSIP' }),
  feature('c1', { kind: 'industrial_cluster', status: 'under_construction', area_ha: 73.76, occupancy_pct: 40, vacant_ha: 20, name_vi: 'Hồ Sơn 1' }),
  feature('c2', { kind: 'industrial_cluster', status: 'approved', area_ha: null, occupancy_pct: 90, vacant_ha: 2, name_vi: 'Na Dương 1' }),
];

describe('dashboard figures', () => {
  it('sums known legal area per status and kind, counting the unknown apart', () => {
    const land = landByStatusAndKind(zones, vocabularies.status, vocabularies.zone_kind);
    expect(land.map((r) => r.status.id)).toEqual(['approved', 'under_construction']);
    const building = land.find((r) => r.status.id === 'under_construction')!;
    expect(building.byKind.map((k) => [k.kind.id, k.ha, k.known, k.count])).toEqual([
      ['industrial_park', 600, 1, 1],
      ['industrial_cluster', 73.76, 1, 1],
    ]);
    const approved = land.find((r) => r.status.id === 'approved')!;
    expect(approved.byKind[1]).toMatchObject({ ha: 0, known: 0, count: 1 });
  });

  it('ranks only zones whose value is known, largest first', () => {
    const name = (z: { properties: Record<string, unknown> }) => String(z.properties.name_vi);
    expect(ranking(zones, 'occupancy_pct', name)).toEqual([
      { id: 'c2', name: 'Na Dương 1', value: 90 },
      { id: 'c1', name: 'Hồ Sơn 1', value: 40 },
    ]);
    expect(ranking(zones, 'vacant_ha', name).map((r) => r.id)).toEqual(['c1', 'c2']);
  });

  it('measures expressway km per status on the ellipsoid', () => {
    const line: [number, number][] = [[106.5, 21.6], [106.7, 21.8]];
    const roads = [
      feature('x1', { status: 'operating' }, { type: 'LineString', coordinates: line }),
      feature('x2', { status: 'operating' }, { type: 'MultiLineString', coordinates: [line, line] }),
      feature('x3', { status: 'planned' }, { type: 'LineString', coordinates: line }),
    ];
    const km = kmByStatus(roads, vocabularies.status);
    const one = geodesicLength(line) / 1000;
    expect(km.map((r) => [r.status.id, r.ids])).toEqual([
      ['planned', ['x3']],
      ['operating', ['x1', 'x2']],
    ]);
    expect(km[1]!.km).toBeCloseTo(3 * one, 1);
  });
});
