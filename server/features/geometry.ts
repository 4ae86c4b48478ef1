// Geometry checks for writes: GeoJSON shape in Node, then PostGIS for what only it
// knows — validity (ST_IsValid, or ST_MakeValid with the editor's consent) and whether
// the feature lies in Lạng Sơn province (within a tolerance of its boundary).
import { z } from 'zod';
import { isRefusal, type Queryable } from '../db/adapter.ts';
import type { Geometry } from './changes.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fieldError, kindNames, type FieldError } from './messages.ts';
import { geometryCheckSql } from './queries.ts';

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


/** `geometry`: as it will be written, GeoJSON text in WGS 84 (9 decimals). */
export type GeometryCheck = { geometry?: string; repaired: boolean; errors: FieldError[] };

/** The parts of a geometry check done in Node: GeoJSON shape, and the type the layer takes. */
export function checkGeometryShape(layer: LayerSpec, input: unknown): { geometry: Geometry } | { error: FieldError } {
  if (input === undefined || input === null) return { error: fieldError('geometry', 'geometry_missing') };
  const parsed = geoJsonGeometry.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: fieldError('geometry', 'geometry_malformed', { reason: issue.message }) };
  }
  const accepted = ACCEPTED[layer.geometryType];
  if (!accepted.includes(parsed.data.type)) {
    const expected = kindNames[layer.geometryType]!;
    return { error: fieldError('geometry', 'geometry_type', { expected: expected.vi, expectedEn: expected.en, actual: parsed.data.type }) };
  }
  return { geometry: parsed.data as Geometry };
}

/** One geometry checked by PostGIS; `stored`, if asked for, is how it would read back from the table (7 decimals). */
export type CheckedGeometry = GeometryCheck & { stored?: Geometry };

/**
 * A geometry to check, as GeoJSON text that passed checkGeometryShape; `compare`: also say
 * how it would read back once stored (to tell an unchanged feature).
 */
export type GeometryToCheck = { geojson: string; compare?: boolean };

type CheckRow = { ord: number; valid: boolean; reason: string | null; geojson: string; stored: string | null; usable: boolean; outside: boolean };

/**
 * Geometries of well-formed GeoJSON (checkGeometryShape) checked by PostGIS, all in one
 * statement: validity, repair when asked, and whether every vertex lies in the province.
 * One statement lets PostGIS prepare the province outline once for all of them. If
 * PostGIS refuses one geometry, the statement fails as a whole: each is then checked
 * alone, so the refusal is reported where it belongs. Outside a transaction only (a
 * failed statement inside one would abort it: see checkGeometry).
 */
export async function checkGeometries(q: Queryable, layer: LayerSpec, geometries: readonly GeometryToCheck[], repair: boolean): Promise<CheckedGeometry[]> {
  if (!geometries.length) return [];
  const run = (batch: readonly GeometryToCheck[]) =>
    q.query<CheckRow>(geometryCheckSql(layer.table), [
      JSON.stringify(batch.map((g, ord) => ({ ord, geometry: g.geojson, compare: g.compare === true }))),
      repair,
      EXTRACT[layer.geometryType],
      PROVINCE_TOLERANCE_M,
    ]);
  // Only the database refusing a geometry is the editor's to fix; a connection lost, a
  // cancelled request or a timeout ends the check.
  const refused = (error: unknown) => {
    if (!isRefusal(error)) throw error;
    return error as Error;
  };
  let rows: (CheckRow | Error)[];
  try {
    rows = await run(geometries);
  } catch (error) {
    if (geometries.length === 1) rows = [refused(error)];
    else {
      rows = [];
      for (const g of geometries) rows.push(await run([g]).then(([row]) => row!, refused));
    }
  }
  return rows.map((row) => {
    const fail = (error: FieldError): CheckedGeometry => ({ repaired: false, errors: [error] });
    if (row instanceof Error) return fail(fieldError('geometry', 'geometry_malformed', { reason: row.message }));
    if (!row.valid && !repair) return fail(fieldError('geometry', 'geometry_invalid', { reason: row.reason! }));
    if (!row.usable) return fail(fieldError('geometry', 'geometry_invalid', { reason: row.reason ?? 'empty' }));
    if (row.outside) return fail(fieldError('geometry', 'outside_province', { tolerance: PROVINCE_TOLERANCE_M }));
    return { geometry: row.geojson, ...(row.stored ? { stored: JSON.parse(row.stored) as Geometry } : {}), repaired: !row.valid, errors: [] };
  });
}

/** One geometry, inside the caller's transaction. */
export async function checkGeometry(tx: Queryable, layer: LayerSpec, input: unknown, repair: boolean): Promise<GeometryCheck> {
  const shape = checkGeometryShape(layer, input);
  if ('error' in shape) return { repaired: false, errors: [shape.error] };
  // A savepoint: PostGIS may still refuse a geometry, and that must not abort the
  // caller's transaction.
  await tx.query('SAVEPOINT geometry_check');
  const [check] = await checkGeometries(tx, layer, [{ geojson: JSON.stringify(shape.geometry) }], repair);
  await tx.query(check!.errors.some((e) => e.code === 'geometry_malformed') ? 'ROLLBACK TO SAVEPOINT geometry_check' : 'RELEASE SAVEPOINT geometry_check');
  return { geometry: check!.geometry, repaired: check!.repaired, errors: check!.errors };
}
