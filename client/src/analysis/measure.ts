// Measurement on the WGS 84 ellipsoid (GeographicLib, Karney's algorithms): lengths of
// geodesics and areas of geodesic polygons — exact to the millimetre, never in Web
// Mercator, whatever the map shows.
import { Geodesic } from 'geographiclib-geodesic';

export type LonLat = [number, number];

export function geodesicLength(points: readonly LonLat[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const [lon1, lat1] = points[i - 1]!;
    const [lon2, lat2] = points[i]!;
    total += Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2).s12!;
  }
  return total;
}

/** Area (m²) and perimeter (m) of the polygon through the points, closed automatically. */
export function geodesicArea(points: readonly LonLat[]): { area: number; perimeter: number } {
  if (points.length < 3) return { area: 0, perimeter: geodesicLength(points) };
  const polygon = Geodesic.WGS84.Polygon(false);
  for (const [lon, lat] of points) polygon.AddPoint(lat, lon);
  const result = polygon.Compute(false, true);
  return { area: Math.abs(result.area!), perimeter: result.perimeter };
}
