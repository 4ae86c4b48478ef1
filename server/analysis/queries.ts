// Named SQL of the site analyses. The origin of every analysis is passed as GeoJSON in
// $1. Distances are geodesic (PostGIS geography on the WGS 84 ellipsoid), straight
// line, measured from a zone's boundary (0 when it touches).
import { ident } from '../db/sql.ts';
import { layerFilterSql } from '../layers/queries.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { VN2000_LANG_SON_TM3, VN2000_UTM48N_SRID } from './crs.ts';

export const ORIGIN = `ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)`;

type Sql = { sql: string; params: unknown[] };

/** One feature's geometry (or, without id, the whole layer's) as GeoJSON text. */
export function originSql(layer: LayerSpec, byId: boolean): Sql {
  const filter = layerFilterSql(layer, 't', byId ? 2 : 1);
  const g = `t.${ident(layer.geometryColumn)}`;
  // Some tables have no names (land parcels): their features are labelled by id alone.
  const named = layer.table.fields.some((f) => f.name === 'name_vi');
  const names = named ? 't.name_vi, t.name_en' : 'NULL AS name_vi, NULL AS name_en';
  return byId
    ? { sql: `SELECT ST_AsGeoJSON(${g}) AS geojson, ${names} FROM ${ident(layer.table.name)} t WHERE t.id = $1 AND ${filter.sql}`, params: filter.params }
    : { sql: `SELECT ST_AsGeoJSON(ST_Collect(${g})) AS geojson FROM ${ident(layer.table.name)} t WHERE ${filter.sql}`, params: filter.params };
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

/** Features of the target layers within $2 metres of the origin, nearest first, and the buffer drawn. */
export function withinSql(targets: readonly LayerSpec[]): Sql {
  const params: unknown[] = [null, null];
  const parts = targets.map((target) => {
    const filter = layerFilterSql(target, 'z', params.length + 1);
    params.push(...filter.params);
    const g = `z.${ident(target.geometryColumn)}`;
    return (
      `SELECT '${target.id}' AS layer, z.id, z.name_vi, z.name_en, z.status, ` +
      `round(ST_Distance(${ORIGIN}::geography, ${g}::geography)::numeric) AS distance_m ` +
      `FROM ${ident(target.table.name)} z WHERE ${filter.sql} AND ST_DWithin(${ORIGIN}::geography, ${g}::geography, $2)`
    );
  });
  return { sql: `${parts.join(' UNION ALL ')} ORDER BY distance_m, layer, id`, params };
}

export const BUFFER_SQL = `SELECT ST_AsGeoJSON(ST_Buffer(${ORIGIN}::geography, $2)::geometry, 6) AS geojson`;

/** A point in VN-2000 (provincial TM-3 and UTM 48N), and the commune it lies in. */
export const POINT_SQL = `
  SELECT ST_X(tm3) AS tm3_easting, ST_Y(tm3) AS tm3_northing, ST_X(utm) AS utm_easting, ST_Y(utm) AS utm_northing,
         (SELECT name_vi FROM communes c WHERE ST_Intersects(c.geom, p.g) LIMIT 1) AS commune
  FROM (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g) p,
       LATERAL (SELECT ST_Transform(p.g, '${VN2000_LANG_SON_TM3}') AS tm3, ST_Transform(p.g, ${VN2000_UTM48N_SRID}) AS utm) t`;
