// RFC 7946 checks: structure by @placemarkio/check-geojson (a strict parser), plus
// what it leaves out: the right-hand rule for polygons and the absence of `crs`.
import { check } from '@placemarkio/check-geojson';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';

export function assertRfc7946(text: string): FeatureCollection | Feature {
  const parsed = check(text) as FeatureCollection | Feature; // throws with a location on error
  const raw = JSON.parse(text) as Record<string, unknown>;
  if ('crs' in raw) throw new Error('RFC 7946 forbids the crs member');
  const features = parsed.type === 'FeatureCollection' ? parsed.features : [parsed];
  for (const f of features) {
    if (f.geometry) assertWinding(f.geometry, String(f.id));
  }
  return parsed;
}

function assertWinding(geometry: Geometry, id: string) {
  const polygons: Position[][][] =
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  for (const rings of polygons) {
    rings.forEach((ring, i) => {
      const clockwise = turf.booleanClockwise(ring);
      // Exterior rings counter-clockwise, holes clockwise (RFC 7946 §3.1.6).
      if (clockwise !== (i > 0)) throw new Error(`feature ${id}: ring ${i} has the wrong winding order`);
    });
  }
}
