// VN-2000 coordinate lists as Vietnamese survey documents give parcel corners:
// "point no., X (northing), Y (easting)" in metres of a 3° TM zone with the province's
// central meridian. Parsed here; converted to WGS 84 by PostGIS with the zone's PROJ
// definition from analysis/crs.ts.
import type { Queryable } from '../db/adapter.ts';
import { vn2000Tm3 } from '../analysis/crs.ts';
import { VN2000_POINTS_SQL, VN2000_POLYGON_SQL } from './queries.ts';
import type { Title } from '../layers/vocabulary.ts';

export type SurveyPoint = { no: string; x: number; y: number };
export class CoordinateListError extends Error {
  constructor(readonly text: Title) {
    super(text.en);
  }
}

const problem = (vi: string, en: string) => new CoordinateListError({ vi, en });

// Where VN-2000 TM-3 coordinates of northern Vietnam can lie: X (northing) from the
// Gulf of Tonkin to the Chinese border, Y (easting) within a 3° zone of the meridian.
const NORTHING = [2_000_000, 2_600_000];
const EASTING = [200_000, 800_000];

/**
 * Reads one point per line: number, X, Y separated by tabs, semicolons, commas or
 * spaces (a header line is skipped). With tabs or semicolons a decimal comma is read
 * as a point ("2412345,67"), as Vietnamese spreadsheets write it.
 */
export function parseCoordinateList(text: string): SurveyPoint[] {
  const points: SurveyPoint[] = [];
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  lines.forEach((line, i) => {
    const separated = /[\t;]/.test(line);
    const cells = (separated ? line.split(/\s*[\t;]\s*/).map((c) => c.replace(',', '.')) : line.split(/\s*,\s*|\s+/)).filter(Boolean);
    const numbers = cells.slice(-2).map(Number);
    if (cells.length < 3 || numbers.some((n) => !Number.isFinite(n))) {
      if (i === 0 && cells.every((c) => !Number.isFinite(Number(c)))) return; // a header
      throw problem(`Dòng ${i + 1} không đúng dạng “số hiệu điểm, X, Y”: ${line}`, `Line ${i + 1} is not “point no., X, Y”: ${line}`);
    }
    const [x, y] = numbers as [number, number];
    if (x >= EASTING[0]! && x <= EASTING[1]! && y >= NORTHING[0]! && y <= NORTHING[1]!) {
      throw problem(
        `Dòng ${i + 1}: X là tọa độ Bắc (khoảng 2 400 000 m), Y là tọa độ Đông (khoảng 500 000 m); hai cột có vẻ bị đảo.`,
        `Line ${i + 1}: X is the northing (about 2,400,000 m) and Y the easting (about 500,000 m); the columns look swapped.`,
      );
    }
    if (x < NORTHING[0]! || x > NORTHING[1]! || y < EASTING[0]! || y > EASTING[1]!) {
      throw problem(
        `Dòng ${i + 1}: X = ${x}, Y = ${y} không phải tọa độ VN-2000 múi 3° ở miền Bắc.`,
        `Line ${i + 1}: X = ${x}, Y = ${y} are not VN-2000 3° zone coordinates of northern Vietnam.`,
      );
    }
    points.push({ no: cells.slice(0, -2).join(' '), x, y });
  });
  // A list that repeats its first point to close the parcel: drop the repeat.
  const [first, last] = [points[0], points.at(-1)];
  if (points.length > 1 && first!.x === last!.x && first!.y === last!.y) points.pop();
  if (points.length < 3) throw problem('Cần ít nhất 3 điểm góc để tạo một thửa.', 'A parcel needs at least 3 corner points.');
  return points;
}

export type ConvertedParcel = {
  geometry: { type: 'Polygon'; coordinates: number[][][] };
  points: (SurveyPoint & { lon: number; lat: number })[];
  centralMeridian: number;
  /** On the zone's plane (as the survey document states it) and on the ellipsoid. */
  area: { plane_m2: number; ellipsoid_m2: number };
  perimeter_m: number;
  valid: boolean;
  invalidReason: string | null;
};

export async function convertParcel(db: Queryable, points: SurveyPoint[], centralMeridian: number): Promise<ConvertedParcel> {
  const proj = vn2000Tm3(centralMeridian);
  // GeoJSON order is [easting, northing]: Y first, then X.
  const ring = [...points, points[0]!].map((p) => [p.y, p.x]);
  const [polygon] = await db.query<{ geojson: string; plane_area_m2: number; ellipsoid_area_m2: number; perimeter_m: number; valid: boolean; reason: string }>(
    VN2000_POLYGON_SQL,
    [JSON.stringify({ type: 'Polygon', coordinates: [ring] }), proj],
  );
  const [corners] = await db.query<{ geojson: string }>(VN2000_POINTS_SQL, [JSON.stringify({ type: 'MultiPoint', coordinates: ring.slice(0, -1) }), proj]);
  const lonLats = (JSON.parse(corners!.geojson) as { coordinates: number[][] }).coordinates;
  return {
    geometry: JSON.parse(polygon!.geojson),
    points: points.map((p, i) => ({ ...p, lon: lonLats[i]![0]!, lat: lonLats[i]![1]! })),
    centralMeridian,
    area: { plane_m2: polygon!.plane_area_m2, ellipsoid_m2: polygon!.ellipsoid_area_m2 },
    perimeter_m: polygon!.perimeter_m,
    valid: polygon!.valid,
    invalidReason: polygon!.valid ? null : polygon!.reason,
  };
}
