// Filters over zones (parks and clusters). A numeric condition is met only by a known
// value: a zone whose vacant land is unknown is not "vacant ≥ 10 ha". Serialised in the
// URL as f=kind:industrial_cluster;status:approved,operating;commune:Na Dương;vacant:10
import type { MapFeature, MapFeatureCollection } from '../api/types.ts';

export type Range = { min: number | null; max: number | null };

export type ZoneFilter = {
  kinds: string[];
  statuses: string[];
  commune: string | null;
  area: Range;
  occupancy: Range;
  vacantAtLeast: number | null;
};

export const emptyFilter: ZoneFilter = {
  kinds: [],
  statuses: [],
  commune: null,
  area: { min: null, max: null },
  occupancy: { min: null, max: null },
  vacantAtLeast: null,
};

export const isEmptyFilter = (f: ZoneFilter) => serializeFilter(f) === '';

const inRange = (value: unknown, range: Range) => {
  if (range.min === null && range.max === null) return true;
  if (typeof value !== 'number') return false;
  return (range.min === null || value >= range.min) && (range.max === null || value <= range.max);
};

export function matchesFilter(feature: MapFeature, f: ZoneFilter): boolean {
  const p = feature.properties;
  if (f.kinds.length && !f.kinds.includes(String(p.kind))) return false;
  if (f.statuses.length && !f.statuses.includes(String(p.status))) return false;
  if (f.commune && !((p.communes as string[] | undefined) ?? []).includes(f.commune)) return false;
  if (!inRange(p.area_ha, f.area)) return false;
  if (!inRange(p.occupancy_pct, f.occupancy)) return false;
  if (f.vacantAtLeast !== null && !(typeof p.vacant_ha === 'number' && p.vacant_ha >= f.vacantAtLeast)) return false;
  return true;
}

export function applyFilter(fc: MapFeatureCollection, f: ZoneFilter): MapFeatureCollection {
  return isEmptyFilter(f) ? fc : { ...fc, features: fc.features.filter((feature) => matchesFilter(feature, f)) };
}

const num = (text: string | undefined): number | null => {
  if (text === undefined || text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
};
const range = (text: string | undefined): Range => {
  const [min, max] = (text ?? '').split('..');
  return { min: num(min), max: num(max) };
};
const rangeText = (r: Range) => (r.min === null && r.max === null ? null : `${r.min ?? ''}..${r.max ?? ''}`);

export function serializeFilter(f: ZoneFilter): string {
  const parts: string[] = [];
  if (f.kinds.length) parts.push(`kind:${f.kinds.join(',')}`);
  if (f.statuses.length) parts.push(`status:${f.statuses.join(',')}`);
  if (f.commune) parts.push(`commune:${f.commune}`);
  const area = rangeText(f.area);
  if (area) parts.push(`area:${area}`);
  const occupancy = rangeText(f.occupancy);
  if (occupancy) parts.push(`occupancy:${occupancy}`);
  if (f.vacantAtLeast !== null) parts.push(`vacant:${f.vacantAtLeast}`);
  return parts.join(';');
}

export function parseFilter(text: string | null): ZoneFilter {
  if (!text) return emptyFilter;
  const parts = new Map(
    text.split(';').map((part) => {
      const cut = part.indexOf(':');
      return [part.slice(0, cut), part.slice(cut + 1)] as const;
    }),
  );
  const list = (key: string) => (parts.get(key) ?? '').split(',').filter((v) => /^[a-z_]+$/.test(v));
  return {
    kinds: list('kind'),
    statuses: list('status'),
    commune: parts.get('commune')?.slice(0, 80) || null,
    area: range(parts.get('area')),
    occupancy: range(parts.get('occupancy')),
    vacantAtLeast: num(parts.get('vacant')),
  };
}
