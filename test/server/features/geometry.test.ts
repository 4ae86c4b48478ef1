import { describe, expect, it } from 'vitest';
import { geoJsonGeometry } from '../../../server/features/geometry.ts';

describe('GeoJSON geometry shape', () => {
  // Found by the fuzz test: these threw inside the schema (a 500) instead of failing it.
  it.each([
    ['an empty ring', { type: 'Polygon', coordinates: [[], [[106.2, 21.3], [106.3, 21.3], [106.3, 21.4], [106.2, 21.3]]] }],
    ['a ring of nulls', { type: 'Polygon', coordinates: [[null, null, null, null]] }],
    ['a ring of numbers', { type: 'MultiPolygon', coordinates: [[[1, 2, 3, 4]]] }],
  ])('refuses %s as malformed, without throwing', (_name, geometry) => {
    expect(geoJsonGeometry.safeParse(geometry).success).toBe(false);
  });

  it('accepts a closed ring', () => {
    expect(geoJsonGeometry.safeParse({ type: 'Polygon', coordinates: [[[106.2, 21.3], [106.3, 21.3], [106.3, 21.4], [106.2, 21.3]]] }).success).toBe(true);
  });
});
