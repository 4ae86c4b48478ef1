// Feature data as the map wants it: the feature id copied into the properties (so
// MapLibre can key hover/selection state on it), and one point per polygon for labels
// and for the point symbol of zones whose outline is only a placeholder.
import { bbox as turfBbox, pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { MapFeature, MapFeatureCollection, Properties } from '../api/types.ts';

export function withFeatureIds(fc: MapFeatureCollection): MapFeatureCollection {
  return { ...fc, features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, fid: f.id } })) };
}

export function representativePoints(fc: MapFeatureCollection): FeatureCollection<Point, Properties> {
  const features: Feature<Point, Properties>[] = [];
  for (const f of fc.features) {
    if (!f.geometry) continue;
    const point = pointOnFeature(f);
    features.push({ type: 'Feature', id: f.id, geometry: point.geometry, properties: { ...f.properties, fid: f.id } });
  }
  return { type: 'FeatureCollection', features };
}

export function featureBounds(feature: MapFeature | GeoJSON.Feature): [number, number, number, number] {
  return turfBbox(feature) as [number, number, number, number];
}
