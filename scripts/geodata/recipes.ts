// Geometry recipes of the seed catalogue: how an indicative geometry is made from the
// few facts public sources give (an anchor and a legal area, waypoints, a commune list).
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { GeometryRecipe, RouteWaypoint } from './catalogue-schema.ts';

export type BaseData = {
  communes: FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  province: Feature<Polygon | MultiPolygon>;
  border: Feature<LineString>;
  /** GeoNames towns by label. */
  places: Map<string, Position>;
  /** Label point of each 2025 commune, by name. */
  communeLabels: Map<string, Position>;
};

// WGS 84 ellipsoid: metres per degree at a latitude, from the meridional and
// prime-vertical radii of curvature. Over a few km this local plane is exact to
// well under 0.1 %, far inside the ±10 % area tolerance we promise.
const A = 6378137;
const E2 = 0.00669437999014;
export function metresPerDegree(latitude: number): { lon: number; lat: number } {
  const phi = (latitude * Math.PI) / 180;
  const w = 1 - E2 * Math.sin(phi) ** 2;
  const meridional = (A * (1 - E2)) / w ** 1.5;
  const primeVertical = A / Math.sqrt(w);
  return { lat: (meridional * Math.PI) / 180, lon: (primeVertical * Math.cos(phi) * Math.PI) / 180 };
}

export function outlinePolygon(
  anchor: readonly [number, number],
  areaHa: number,
  shape: 'rectangle' | 'ellipse',
  aspect: number,
  bearingDeg: number,
): Polygon {
  const area = areaHa * 10_000;
  // Long side along the bearing; for an ellipse, area = π·a·b with semi-axes a, b.
  const [halfLong, halfShort] =
    shape === 'rectangle'
      ? [Math.sqrt(area * aspect) / 2, Math.sqrt(area / aspect) / 2]
      : [Math.sqrt((area * aspect) / Math.PI), Math.sqrt(area / (aspect * Math.PI))];
  const local: [number, number][] =
    shape === 'rectangle'
      ? [
          [-halfShort, -halfLong],
          [halfShort, -halfLong],
          [halfShort, halfLong],
          [-halfShort, halfLong],
        ]
      : Array.from({ length: 72 }, (_, i) => {
          const t = (i / 72) * 2 * Math.PI;
          return [halfShort * Math.cos(t), halfLong * Math.sin(t)];
        });
  const theta = (bearingDeg * Math.PI) / 180;
  const scale = metresPerDegree(anchor[1]);
  // Rotate clockwise by the bearing (x east, y north), then metres → degrees.
  const ring: Position[] = local.map(([x, y]) => {
    const east = x * Math.cos(theta) + y * Math.sin(theta);
    const north = -x * Math.sin(theta) + y * Math.cos(theta);
    return [anchor[0] + east / scale.lon, anchor[1] + north / scale.lat];
  });
  ring.push(ring[0]!);
  return (turf.rewind(turf.polygon([ring]), { reverse: false }) as Feature<Polygon>).geometry;
}

export function buildGeometry(recipe: GeometryRecipe, base: BaseData): Geometry {
  switch (recipe.recipe) {
    case 'geojson':
      return recipe.geometry as unknown as Geometry;
    case 'outline': {
      const polygon = outlinePolygon(recipe.anchor, recipe.area_ha, recipe.shape, recipe.aspect, recipe.rotation_deg);
      if (!recipe.clip_to_province) return polygon;
      const clipped = turf.intersect(turf.featureCollection([turf.feature(polygon), base.province]));
      if (!clipped) throw new Error(`outline at ${recipe.anchor.join(',')} lies outside the province`);
      return clipped.geometry;
    }
    case 'route':
      return { type: 'LineString', coordinates: recipe.via.map((p) => [...p]) };
    case 'waypoints':
      return { type: 'LineString', coordinates: waypointLine(recipe.via, base) };
    case 'border_point':
      return turf.nearestPointOnLine(base.border, turf.point([...recipe.near])).geometry;
    case 'communes_union': {
      const parts = recipe.communes.map((name) => {
        const found = base.communes.features.find((f) => f.properties.name === name);
        if (!found) throw new Error(`communes_union: no 2025 commune named '${name}'`);
        return found;
      });
      const union = parts.length === 1 ? parts[0]! : turf.union(turf.featureCollection(parts));
      if (!union) throw new Error(`communes_union of ${recipe.communes.join(', ')} is empty`);
      return union.geometry;
    }
  }
}

function waypointLine(via: RouteWaypoint[], base: BaseData): Position[] {
  const named = (kind: string, map: Map<string, Position>, name: string) => {
    const found = map.get(name);
    if (!found) throw new Error(`waypoints: no ${kind} named '${name}'`);
    return found;
  };
  // Every waypoint but leaves_toward is a point by itself.
  const fixed = via.map((w): Position | null => {
    if ('place' in w) return named('place', base.places, w.place);
    if ('commune' in w) return named('2025 commune', base.communeLabels, w.commune);
    if ('border' in w) return turf.nearestPointOnLine(base.border, turf.point([...w.border])).geometry.coordinates;
    return null;
  });
  return via.map((w, i) => {
    if (fixed[i]) return fixed[i];
    const { leaves_toward: toward } = w as Extract<RouteWaypoint, { leaves_toward: unknown }>;
    // Measured from the neighbouring waypoint: the next one at a line's start.
    const from = fixed[i === 0 ? 1 : i - 1];
    if (!from) throw new Error('waypoints: leaves_toward needs a fixed neighbouring waypoint');
    const target = typeof toward === 'string' ? named('place', base.places, toward) : [...toward];
    return provinceExit(from, target, base.province);
  });
}

/** First crossing of the province outline on the way from an inside point to a target. */
function provinceExit(from: Position, target: Position, province: Feature<Polygon | MultiPolygon>): Position {
  const crossings = turf.lineIntersect(turf.lineString([from, target]), province).features;
  if (crossings.length === 0) throw new Error(`waypoints: no province edge between ${from.join(',')} and ${target.join(',')}`);
  const distance = (p: (typeof crossings)[number]) => turf.distance(from, p.geometry.coordinates);
  return crossings.reduce((a, b) => (distance(b) < distance(a) ? b : a)).geometry.coordinates;
}

/** Rounds coordinates to 6 decimals (≈ 0.1 m) and drops repeated vertices. */
export function roundGeometry<G extends Geometry>(geometry: G): G {
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  const walk = (value: unknown): unknown => {
    if (typeof value === 'number') return round(value);
    if (!Array.isArray(value)) return value;
    const mapped = value.map(walk);
    if (Array.isArray(mapped[0]) && typeof (mapped[0] as unknown[])[0] === 'number') {
      return (mapped as number[][]).filter((p, i, all) => i === 0 || p[0] !== all[i - 1]![0] || p[1] !== all[i - 1]![1]);
    }
    return mapped;
  };
  if (geometry.type === 'GeometryCollection') throw new Error('GeometryCollection is not used in seed data');
  return { ...geometry, coordinates: walk((geometry as Exclude<Geometry, { type: 'GeometryCollection' }>).coordinates) } as G;
}

