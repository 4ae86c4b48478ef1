// Named SQL of the site analyses. The origin of a proximity is passed as GeoJSON in $1;
// a `within` names its origin (a point, a feature, a layer) and reads it in place.
// Distances are geodesic (PostGIS geography on the WGS 84 ellipsoid), straight line,
// measured from a zone's boundary (0 when it touches).
import { ident } from '../db/sql.ts';
import { layerFilterSql } from '../layers/queries.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { VN2000_LANG_SON_TM3, VN2000_UTM48N_SRID } from './crs.ts';

const ORIGIN = `ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)`;

type Sql = { sql: string; params: unknown[] };

/** A column of the layer's table, or NULL where the table has none (land parcels have numbers, not names). */
function columnOrNull(layer: LayerSpec, column: string, alias: string): string {
  return layer.table.fields.some((f) => f.name === column) ? `${alias}.${ident(column)}` : 'NULL::text';
}

/** One feature: its names and vertex count, and its geometry as GeoJSON if asked. */
export function featureSql(layer: LayerSpec, id: string, withGeometry: boolean): Sql {
  const filter = layerFilterSql(layer, 't', 2);
  const g = `t.${ident(layer.geometryColumn)}`;
  return {
    sql:
      `SELECT ${columnOrNull(layer, 'name_vi', 't')} AS name_vi, ${columnOrNull(layer, 'name_en', 't')} AS name_en, ST_NPoints(${g}) AS vertices` +
      `${withGeometry ? `, ST_AsGeoJSON(${g}) AS geojson` : ''} FROM ${ident(layer.table.name)} t WHERE t.id = $1 AND ${filter.sql}`,
    params: [id, ...filter.params],
  };
}

/**
 * How large a layer is: its features and their vertices, counting at most `cap`
 * features so that sizing a layer of a million parcels reads only cap of them.
 */
export function layerSizeSql(layer: LayerSpec, cap: number): Sql {
  const filter = layerFilterSql(layer, 't', 2);
  return {
    sql:
      `SELECT count(*) AS features, COALESCE(sum(ST_NPoints(s.g)), 0) AS vertices FROM ` +
      `(SELECT t.${ident(layer.geometryColumn)} AS g FROM ${ident(layer.table.name)} t WHERE ${filter.sql} LIMIT $1) s`,
    params: [cap, ...filter.params],
  };
}

type Condition = { column: string; values: readonly string[] };

/** The nearest feature of a layer (meeting `also`, if given) to the origin, as JSON (null if none). */
function nearest(target: LayerSpec, params: unknown[], extra: string[], also?: Condition): string {
  const filter = layerFilterSql(target, 'n', params.length + 1);
  params.push(...filter.params);
  let where = filter.sql;
  if (also) {
    params.push(also.values);
    where += ` AND n.${ident(also.column)} = ANY($${params.length}::text[])`;
  }
  const g = `n.${ident(target.geometryColumn)}`;
  const fields = ['id', 'name_vi', 'name_en', ...extra].map((f) => `'${f}', n.${ident(f)}`).join(', ');
  const distance = `ST_Distance(${ORIGIN}::geography, ${g}::geography)`;
  return (
    `(SELECT json_build_object('layer', '${target.id}', ${fields}, 'distance_m', round(${distance}::numeric)) ` +
    `FROM ${ident(target.table.name)} n WHERE ${where} ORDER BY ${distance}, n.id LIMIT 1)`
  );
}

/** Nearest border gate, nearest expressway (any status, and open to traffic), city centre. */
export function proximitySql(gates: LayerSpec, expressways: LayerSpec): Sql {
  const params: unknown[] = [null];
  const gate = nearest(gates, params, ['gate_type', 'status']);
  const road = nearest(expressways, params, ['status']);
  const openRoad = nearest(expressways, params, ['status'], { column: 'status', values: ['operating'] });
  const centre = `(SELECT json_build_object('name_vi', c.name_vi, 'distance_m', round(ST_Distance(${ORIGIN}::geography, c.geom::geography)::numeric)) FROM base_features c WHERE ${CITY_CENTRE_WHERE} LIMIT 1)`;
  return {
    sql: `SELECT ${gate} AS nearest_gate, ${road} AS nearest_expressway, ${openRoad} AS nearest_open_expressway, ${centre} AS city_centre`,
    params,
  };
}

// The provincial capital of Lạng Sơn in the GeoNames places: "the city centre".
const CITY_CENTRE_WHERE = `c.layer = 'places' AND c.properties->>'feature_code' = 'PPLA' AND (c.properties->>'in_lang_son')::boolean`;

/** What a `within` measures from: a point, one feature, or every feature of a layer. */
export type WithinOrigin =
  | { kind: 'point'; lon: number; lat: number }
  | { kind: 'feature'; layer: LayerSpec; id: string }
  | { kind: 'layer'; layer: LayerSpec };

/** The origin's rows as `FROM … WHERE …` with their geometry expression; its values are appended to params. */
function originRows(origin: WithinOrigin, params: unknown[]): { from: string; where: string; geometry: string } {
  if (origin.kind === 'point') {
    params.push(origin.lon, origin.lat);
    return { from: `(SELECT ST_SetSRID(ST_MakePoint($${params.length - 1}, $${params.length}), 4326) AS g) o`, where: 'TRUE', geometry: 'o.g' };
  }
  const filter = layerFilterSql(origin.layer, 'o', params.length + 1);
  params.push(...filter.params);
  let where = filter.sql;
  if (origin.kind === 'feature') {
    params.push(origin.id);
    where += ` AND o.id = $${params.length}`;
  }
  return { from: `${ident(origin.layer.table.name)} o`, where, geometry: `o.${ident(origin.layer.geometryColumn)}` };
}

/**
 * Features of the target layers within radiusM ($1) of the origin, nearest first.
 * Measured on both backends (docs/RELIABILITY.md, "Heavy work"), what makes this fast:
 * - the origin is collected once into one geography (no geometry work, unlike a union),
 *   so PostGIS builds its distance tree once and reuses it for every target: 4× faster
 *   than a nearest-feature distance per pair from the commune layer at 500 km;
 * - all target layers pass through one ST_Distance: each call site keeps its own tree,
 *   and one part per layer made the commune layer at 5 km 10× slower (2.7 s vs 0.3 s);
 * - distances are computed once and compared with the radius, which was as fast as or
 *   faster than ST_DWithin followed by ST_Distance.
 */
export function withinSql(origin: WithinOrigin, targets: readonly LayerSpec[], radiusM: number): Sql {
  const params: unknown[] = [radiusM];
  const o = originRows(origin, params);
  const parts = targets.map((target) => {
    const filter = layerFilterSql(target, 'z', params.length + 1);
    params.push(...filter.params);
    const column = (name: string) => columnOrNull(target, name, 'z');
    return (
      `SELECT '${target.id}' AS layer, z.id, ${column('name_vi')} AS name_vi, ${column('name_en')} AS name_en, ${column('status')} AS status, ` +
      `z.${ident(target.geometryColumn)} AS g FROM ${ident(target.table.name)} z WHERE ${filter.sql}`
    );
  });
  return {
    sql:
      `WITH origin AS MATERIALIZED (SELECT ST_Collect(${o.geometry})::geography AS g FROM ${o.from} WHERE ${o.where}), ` +
      `measured AS MATERIALIZED (SELECT t.layer, t.id, t.name_vi, t.name_en, t.status, ST_Distance(origin.g, t.g::geography) AS m FROM (${parts.join(' UNION ALL ')}) t, origin) ` +
      `SELECT layer, id, name_vi, name_en, status, round(m::numeric) AS distance_m FROM measured WHERE m <= $1::float8 ORDER BY distance_m, layer, id`,
    params,
  };
}

/**
 * The area within radiusM ($1) of the origin, to draw, from its features simplified with
 * a tolerance ($2, degrees) before they are merged: buffering every vertex of a large
 * area took seconds (the commune layer at 5 km: 9–15 s), and the drawn edge moves by
 * no more than the tolerance.
 */
export function bufferSql(origin: WithinOrigin, radiusM: number, toleranceDegrees: number): Sql {
  const params: unknown[] = [radiusM, toleranceDegrees];
  const o = originRows(origin, params);
  return {
    sql: `SELECT ST_AsGeoJSON(ST_Buffer(ST_Union(ST_SimplifyPreserveTopology(${o.geometry}, $2::float8))::geography, $1::float8)::geometry, 6) AS geojson FROM ${o.from} WHERE ${o.where}`,
    params,
  };
}

/** A point in VN-2000 (provincial TM-3 and UTM 48N), and the commune it lies in. */
export const POINT_SQL = `
  SELECT ST_X(tm3) AS tm3_easting, ST_Y(tm3) AS tm3_northing, ST_X(utm) AS utm_easting, ST_Y(utm) AS utm_northing,
         (SELECT name_vi FROM communes c WHERE ST_Intersects(c.geom, p.g) LIMIT 1) AS commune
  FROM (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g) p,
       LATERAL (SELECT ST_Transform(p.g, '${VN2000_LANG_SON_TM3}') AS tm3, ST_Transform(p.g, ${VN2000_UTM48N_SRID}) AS utm) t`;
