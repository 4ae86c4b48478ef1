import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { buildGeometry, metresPerDegree, outlinePolygon, roundGeometry } from '../../../scripts/geodata/recipes.ts';
import { loadBaseData } from '../../../scripts/geodata/build-seed-layers.ts';

describe('indicative outlines', () => {
  it.each([
    ['rectangle', 599.76, 1.6, 30],
    ['rectangle', 73.76, 1, 0],
    ['ellipse', 535, 2, 120],
  ] as const)('a %s of %f ha has that area (±0.5 %%)', (shape, ha, aspect, bearing) => {
    const polygon = outlinePolygon([106.35, 21.52], ha, shape, aspect, bearing);
    // turf.area works on a sphere, ~0.3 % off the ellipsoid here; the integration
    // tests check seeded outlines against PostGIS's ellipsoidal geography area.
    expect(Math.abs(turf.area(polygon) / 10_000 - ha) / ha).toBeLessThan(0.005);
    expect(turf.booleanClockwise(polygon.coordinates[0]!)).toBe(false);
  });

  it('turns the long side to the bearing', () => {
    const northSouth = turf.bbox(outlinePolygon([106.35, 21.52], 400, 'rectangle', 4, 0));
    const eastWest = turf.bbox(outlinePolygon([106.35, 21.52], 400, 'rectangle', 4, 90));
    const scale = metresPerDegree(21.52);
    const extent = (b: number[]) => ({ ew: (b[2]! - b[0]!) * scale.lon, ns: (b[3]! - b[1]!) * scale.lat });
    expect(extent(northSouth).ns / extent(northSouth).ew).toBeCloseTo(4, 1);
    expect(extent(eastWest).ew / extent(eastWest).ns).toBeCloseTo(4, 1);
  });

  it('uses WGS 84 radii: one degree of latitude is ~110.7 km at 21.5° N', () => {
    expect(metresPerDegree(21.5).lat).toBeCloseTo(110_733, -2);
    expect(metresPerDegree(21.5).lon).toBeCloseTo(103_642, -2);
  });
});

describe('other recipes', () => {
  const base = loadBaseData();

  it('snaps a border point onto the border line', () => {
    const point = buildGeometry({ recipe: 'border_point', near: [106.72, 21.97] }, base);
    expect(point.type).toBe('Point');
    const distance = turf.pointToLineDistance(point as GeoJSON.Point, base.border, { units: 'meters' });
    expect(distance).toBeLessThan(1);
  });

  it('unites named 2025 communes and rejects unknown names', () => {
    const union = buildGeometry({ recipe: 'communes_union', communes: ['Đồng Đăng', 'Cao Lộc'] }, base);
    const areaKm2 = turf.area(union as GeoJSON.Polygon) / 1e6;
    const parts = base.communes.features.filter((f) => ['Đồng Đăng', 'Cao Lộc'].includes(f.properties.name));
    expect(areaKm2).toBeCloseTo(parts.reduce((s, f) => s + turf.area(f) / 1e6, 0), 0);
    expect(() => buildGeometry({ recipe: 'communes_union', communes: ['Atlantis'] }, base)).toThrow(/no 2025 commune named 'Atlantis'/);
  });

  it('draws a line through named towns and commune label points, leaving the province on its edge', () => {
    const line = buildGeometry(
      { recipe: 'waypoints', via: [{ place: 'Đồng Đăng' }, { commune: 'Na Sầm' }, { leaves_toward: 'Đông Khê' }] },
      base,
    ) as GeoJSON.LineString;
    expect(line.coordinates[0]).toEqual(base.places.get('Đồng Đăng'));
    expect(line.coordinates[1]).toEqual(base.communeLabels.get('Na Sầm'));
    const exit = turf.point(line.coordinates[2]!);
    // The exit lies on the province outline; the town it heads for is beyond it.
    expect(turf.pointToLineDistance(exit, turf.polygonToLine(base.province) as never, { units: 'meters' })).toBeLessThan(1);
    expect(turf.booleanPointInPolygon(base.places.get('Đông Khê')!, base.province)).toBe(false);
  });

  it('rejects a waypoint that names no known town', () => {
    expect(() => buildGeometry({ recipe: 'waypoints', via: [{ place: 'Atlantis' }, { place: 'Đồng Đăng' }] }, base)).toThrow(
      /no place named 'Atlantis'/,
    );
  });

  it('rounds to 6 decimals and drops repeated vertices', () => {
    const line = roundGeometry({ type: 'LineString', coordinates: [[1.0000001, 2], [1.0000002, 2], [3.1234567, 4]] });
    expect(line.coordinates).toEqual([[1, 2], [3.123457, 4]]);
  });
});
