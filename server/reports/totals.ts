// Totals of the inventory. A sum covers only the zones whose value is known, and says
// how many those are: an unknown area is not 0 ha, so "3 of 9 known" is part of the
// answer. Occupancy is occupied / leasable over zones where both are known.
export type Row = { area_ha: number | null; leasable_ha: number | null; occupied_ha: number | null; vacant_ha: number | null };

/** value is null when no zone has the figure: nothing known is not 0 ha. */
export type Sum = { value: number | null; known: number };
export type Totals = {
  count: number;
  area_ha: Sum;
  leasable_ha: Sum;
  occupied_ha: Sum;
  vacant_ha: Sum;
  /** occupied / leasable, over zones where both are known; null when none. */
  occupancy_pct: { value: number | null; known: number };
};

const round2 = (n: number) => Math.round(n * 100) / 100;

function sum(rows: Row[], pick: (r: Row) => number | null): Sum {
  const known = rows.map(pick).filter((v): v is number => v !== null);
  return { value: known.length ? round2(known.reduce((s, v) => s + v, 0)) : null, known: known.length };
}

export function totals(rows: Row[]): Totals {
  const both = rows.filter((r) => r.leasable_ha !== null && r.occupied_ha !== null && r.leasable_ha > 0);
  const leasable = both.reduce((s, r) => s + r.leasable_ha!, 0);
  const occupied = both.reduce((s, r) => s + r.occupied_ha!, 0);
  return {
    count: rows.length,
    area_ha: sum(rows, (r) => r.area_ha),
    leasable_ha: sum(rows, (r) => r.leasable_ha),
    occupied_ha: sum(rows, (r) => r.occupied_ha),
    vacant_ha: sum(rows, (r) => r.vacant_ha),
    occupancy_pct: { value: both.length ? Math.round((occupied / leasable) * 1000) / 10 : null, known: both.length },
  };
}
