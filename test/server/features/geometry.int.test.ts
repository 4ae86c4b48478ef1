// The province tolerance, as PostGIS applies it: a vertex may lie up to 500 m beyond the
// province outline (gates and markers sit on a border surveyed apart from it), not more.
// Points are placed at measured geodesic distances outside the outline, on both backends.
import { expect, it } from 'vitest';
import { checkGeometries, PROVINCE_TOLERANCE_M } from '../../../server/features/geometry.ts';
import { findLayer } from '../../../server/layers/registry.ts';
import { describeEachBackend } from '../../support/backends.ts';

/** A point `metres` beyond the outline: from a boundary vertex, along the outward normal, measured back. */
const OUTSIDE_SQL = `
  WITH p AS (SELECT geom FROM base_features WHERE layer = 'province'),
  candidates AS (
    SELECT ST_Project(ST_PointN(ST_ExteriorRing(ST_GeometryN(p.geom, 1)), n)::geography, $1::float8, radians(az))::geometry AS point
    FROM p, generate_series(1, 2000, 97) n, generate_series(0, 330, 30) az)
  SELECT ST_AsGeoJSON(c.point) AS geojson, ST_Distance(c.point::geography, p.geom::geography) AS distance
  FROM candidates c, p
  WHERE NOT ST_Intersects(p.geom, c.point) AND ST_Distance(c.point::geography, p.geom::geography) BETWEEN $2 AND $3
  LIMIT 3`;

describeEachBackend('the province tolerance', ({ db }) => {
  const markers = findLayer('border_markers')!;
  const pointsAt = async (metres: number, min: number, max: number) => {
    const rows = await db().query<{ geojson: string; distance: number }>(OUTSIDE_SQL, [metres, min, max]);
    expect(rows.length, `points ${min}–${max} m outside`).toBeGreaterThan(0);
    return rows;
  };

  it(`accepts vertices within ${PROVINCE_TOLERANCE_M} m beyond the outline`, async () => {
    const near = await pointsAt(300, 200, 400);
    const checked = await checkGeometries(db(), markers, near.map((p) => ({ geojson: p.geojson })), false);
    expect(checked.map((c) => c.errors)).toEqual(near.map(() => []));
  });

  it(`refuses vertices farther than ${PROVINCE_TOLERANCE_M} m beyond it, in one statement for many`, async () => {
    const far = await pointsAt(800, 650, 1000);
    const near = await pointsAt(300, 200, 400);
    const checked = await checkGeometries(db(), markers, [...far, ...near].map((p) => ({ geojson: p.geojson })), false);
    expect(checked.map((c) => c.errors.map((e) => e.code))).toEqual([...far.map(() => ['outside_province']), ...near.map(() => [])]);
  });
});
