// Figures behind the dashboard charts, from the data on the map. Unknown values are
// left out and counted, never added as 0.
import type { MapFeature, Term } from '../api/types.ts';
import { geodesicLength, type LonLat } from '../analysis/measure.ts';

const num = (v: unknown) => (typeof v === 'number' ? v : null);

export type LandByStatus = { status: Term; byKind: { kind: Term; ha: number; known: number; count: number }[] }[];

/** Legal area (ha) per status, split by kind; statuses with no zone are left out. */
export function landByStatusAndKind(zones: MapFeature[], statuses: Term[], kinds: Term[]): LandByStatus {
  return statuses
    .map((status) => ({
      status,
      byKind: kinds.map((kind) => {
        const members = zones.filter((z) => z.properties.status === status.id && z.properties.kind === kind.id);
        const known = members.map((z) => num(z.properties.area_ha)).filter((v): v is number => v !== null);
        return { kind, ha: known.reduce((s, v) => s + v, 0), known: known.length, count: members.length };
      }),
    }))
    .filter((row) => row.byKind.some((k) => k.count > 0));
}

export type ZoneValue = { id: string; name: string; value: number };

/** Zones with a known value of `field`, largest first. */
export function ranking(zones: MapFeature[], field: 'occupancy_pct' | 'vacant_ha', name: (z: MapFeature) => string, limit = 12): ZoneValue[] {
  return zones
    .flatMap((z) => {
      const value = num(z.properties[field]);
      return value === null ? [] : [{ id: z.id, name: name(z), value }];
    })
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name, 'vi'))
    .slice(0, limit);
}

function lines(geometry: MapFeature['geometry']): LonLat[][] {
  if (geometry.type === 'LineString') return [geometry.coordinates as LonLat[]];
  if (geometry.type === 'MultiLineString') return geometry.coordinates as LonLat[][];
  return [];
}

/** Kilometres of expressway drawn on the map per status (geodesic, on the ellipsoid). */
export function kmByStatus(roads: MapFeature[], statuses: Term[]): { status: Term; km: number; ids: string[] }[] {
  return statuses
    .map((status) => {
      const members = roads.filter((r) => r.properties.status === status.id);
      const metres = members.reduce((s, r) => s + lines(r.geometry).reduce((t, l) => t + geodesicLength(l), 0), 0);
      return { status, km: Math.round(metres / 100) / 10, ids: members.map((r) => r.id) };
    })
    .filter((row) => row.ids.length > 0);
}
