import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { geodesicArea, geodesicLength } from '../../../client/src/analysis/measure.ts';

describe('measurement on the ellipsoid', () => {
  it('measures the meridian arc from 21° to 22° N on the ellipsoid, not a sphere', () => {
    // 110,723.609 m by Simpson integration of the WGS 84 meridional radius
    // M(φ) = a(1−e²)/(1−e² sin²φ)^1.5 (10,000 steps); a sphere would give 111,195 m.
    expect(geodesicLength([[106.7, 21], [106.7, 22]])).toBeCloseTo(110_723.609, 2);
  });

  it('adds up a polyline', () => {
    const a: [number, number] = [106.7, 21.8];
    const b: [number, number] = [106.8, 21.8];
    const c: [number, number] = [106.8, 21.9];
    expect(geodesicLength([a, b, c])).toBeCloseTo(geodesicLength([a, b]) + geodesicLength([b, c]), 6);
  });

  it('measures a polygon as Turf does, within Turf’s sphere error', () => {
    const square = turf.bboxPolygon([106.75, 21.84, 106.76, 21.85]);
    const ring = square.geometry.coordinates[0]!.slice(0, -1) as [number, number][];
    const { area, perimeter } = geodesicArea(ring);
    expect(Math.abs(area - turf.area(square)) / area).toBeLessThan(0.005);
    expect(perimeter).toBeGreaterThan(4000);
  });

  it('is zero for fewer than three points, and ignores winding', () => {
    expect(geodesicArea([[106, 21], [107, 21]]).area).toBe(0);
    const ring: [number, number][] = [[106.7, 21.8], [106.8, 21.8], [106.8, 21.9]];
    expect(geodesicArea(ring).area).toBeCloseTo(geodesicArea([...ring].reverse()).area, 3);
  });
});
