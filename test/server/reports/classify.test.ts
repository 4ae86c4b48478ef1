import { describe, expect, it } from 'vitest';
import { classify } from '../../../server/reports/classify.ts';
import { totals } from '../../../server/reports/totals.ts';
import { statuses } from '../../../server/layers/vocabulary.ts';

describe('inventory classification (seed 001)', () => {
  it.each([
    ['operating', 100, 'a', 'filled'],
    ['operating', 120, 'a', 'filled'],
    ['operating', 99.9, 'a', 'attracting'],
    ['operating', 0, 'a', 'attracting'],
    ['operating', null, 'a', 'attracting_occupancy_unknown'],
    ['under_construction', 30, 'b', 'investing'],
    ['under_construction', null, 'b', 'investing'],
    ['site_clearance', null, 'b', 'investing'],
    ['approved', null, 'b', 'investing'],
    ['suspended', null, 'b', 'suspended'],
    ['suspended', 80, 'b', 'suspended'],
    ['planned', null, 'c', 'not_established'],
    ['proposed', null, 'c', 'not_established'],
  ] as const)('%s with occupancy %s → group %s (%s)', (status, occupancy, group, stage) => {
    expect(classify(status, occupancy)).toEqual({ group, stage });
  });

  it('classifies every status of the vocabulary', () => {
    for (const s of statuses) expect(['a', 'b', 'c']).toContain(classify(s.id, null).group);
  });
});

describe('inventory totals', () => {
  it('adds only known values and says how many were known', () => {
    const t = totals([
      { area_ha: 100, leasable_ha: 80, occupied_ha: 20, vacant_ha: 60 },
      { area_ha: 50, leasable_ha: null, occupied_ha: null, vacant_ha: null },
      { area_ha: null, leasable_ha: 40, occupied_ha: 40, vacant_ha: 0 },
    ]);
    expect(t).toEqual({
      count: 3,
      area_ha: { value: 150, known: 2 },
      leasable_ha: { value: 120, known: 2 },
      occupied_ha: { value: 60, known: 2 },
      vacant_ha: { value: 60, known: 2 },
      occupancy_pct: { value: 50, known: 2 },
    });
  });

  it('has no occupancy when no zone has both leasable and occupied land', () => {
    const t = totals([{ area_ha: 10, leasable_ha: 8, occupied_ha: null, vacant_ha: null }]);
    expect(t.occupancy_pct).toEqual({ value: null, known: 0 });
    expect(t.occupied_ha).toEqual({ value: null, known: 0 });
    expect(totals([]).count).toBe(0);
  });
});
