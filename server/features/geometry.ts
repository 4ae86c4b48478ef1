// Geometry checks for writes: GeoJSON shape in Node, then PostGIS for what only it
// knows — validity (ST_IsValid, or ST_MakeValid with the editor's consent) and whether
// the feature lies in Lạng Sơn province (within a tolerance of its boundary).
import { z } from 'zod';
import type { Queryable } from '../db/adapter.ts';
import type { Geometry } from './changes.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fieldError, kindNames, type FieldError } from './messages.ts';
import { GEOMETRY_CHECK_SQL } from './queries.ts';

/**
 * How far beyond the province outline a feature may reach. The outline (2025 commune
 * union) and the border line come from different surveys; gates and markers sit on
 * the border itself.
 */
export const PROVINCE_TOLERANCE_M = 500;

const lonLat = z
  .array(z.number().finite())
  .min(2)
  .max(3)
  .refine(([lon, lat]) => Math.abs(lon!) <= 180 && Math.abs(lat!) <= 90, 'coordinates must be longitude, latitude in degrees (WGS 84)');
const line = z.array(lonLat).min(2, 'a line needs at least 2 positions');
const ring = z
  .array(lonLat)
  .min(4, 'a ring needs at least 4 positions')
  // zod runs refinements even when min() or a position failed: what is checked here may
  // be empty or hold non-positions (reported by those checks), and must not be read blindly.
  .refine((r) => !Array.isArray(r[0]) || !Array.isArray(r.at(-1)) || (r[0][0] === r.at(-1)![0] && r[0][1] === r.at(-1)![1]), 'a ring must end where it starts');
const polygon = z.array(ring).min(1);

export const geoJsonGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: lonLat }),
  z.object({ type: z.literal('MultiPoint'), coordinates: z.array(lonLat).min(1) }),
  z.object({ type: z.literal('LineString'), coordinates: line }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(line).min(1) }),
  z.object({ type: z.literal('Polygon'), coordinates: polygon }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon).min(1) }),
]);

// GeoJSON types each served geometry type accepts (single parts become multi-parts).
const ACCEPTED: Record<LayerSpec['geometryType'], string[]> = {
  Point: ['Point'],
  LineString: ['LineString'],
  Polygon: ['Polygon'],
  MultiLineString: ['LineString', 'MultiLineString'],
  MultiPolygon: ['Polygon', 'MultiPolygon'],
};
// ST_CollectionExtract's codes: what to keep of ST_MakeValid's result.
const EXTRACT: Record<LayerSpec['geometryType'], number> = { Point: 1, LineString: 2, MultiLineString: 2, Polygon: 3, MultiPolygon: 3 };


export type GeometryCheck = { geometry?: Geometry; repaired: boolean; errors: FieldError[] };

export async function checkGeometry(tx: Queryable, layer: LayerSpec, input: unknown, repair: boolean): Promise<GeometryCheck> {
  const fail = (error: FieldError): GeometryCheck => ({ repaired: false, errors: [error] });
  if (input === undefined || input === null) return fail(fieldError('geometry', 'geometry_missing'));
  const parsed = geoJsonGeometry.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(fieldError('geometry', 'geometry_malformed', { reason: issue.message }));
  }
  const accepted = ACCEPTED[layer.geometryType];
  if (!accepted.includes(parsed.data.type)) {
    const expected = kindNames[layer.geometryType]!;
    return fail(fieldError('geometry', 'geometry_type', { expected: expected.vi, expectedEn: expected.en, actual: parsed.data.type }));
  }
  // A savepoint: PostGIS may still refuse a geometry, and that must not abort the
  // caller's transaction (an import checks many features in one).
  await tx.query('SAVEPOINT geometry_check');
  let row: { valid: boolean; reason: string; geojson: string; usable: boolean; outside: number };
  try {
    [row] = (await tx.query(GEOMETRY_CHECK_SQL, [JSON.stringify(parsed.data), repair, EXTRACT[layer.geometryType], PROVINCE_TOLERANCE_M])) as [typeof row];
    await tx.query('RELEASE SAVEPOINT geometry_check');
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT geometry_check');
    return fail(fieldError('geometry', 'geometry_malformed', { reason: (error as Error).message }));
  }
  if (!row.valid && !repair) return fail(fieldError('geometry', 'geometry_invalid', { reason: row.reason }));
  if (!row.usable) return fail(fieldError('geometry', 'geometry_invalid', { reason: row.reason }));
  if (row.outside > 0) return fail(fieldError('geometry', 'outside_province', { tolerance: PROVINCE_TOLERANCE_M }));
  return { geometry: JSON.parse(row.geojson) as Geometry, repaired: !row.valid, errors: [] };
}
