// Named SQL of edits, history and as-of views.
import { ident } from '../db/sql.ts';
import { DECIMALS, jsonbObjectSql } from '../layers/queries.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fieldsFor, type Audience } from '../layers/tables.ts';

export const KNOWN_SOURCES_SQL = 'SELECT key FROM sources WHERE key = ANY($1::text[])';

export const ID_TAKEN_SQL = (table: string) => `SELECT id FROM ${ident(table)} WHERE id = $1 OR id LIKE $1 || '-%'`;

/**
 * $1 GeoJSON, $2 repair?, $3 what to keep of ST_MakeValid (ST_CollectionExtract code),
 * $4 tolerance in metres. Vertices outside the province farther than the tolerance are
 * counted on the ellipsoid (geography), never in degrees.
 */
export const GEOMETRY_CHECK_SQL = `
  WITH input AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g),
  fixed AS (
    SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason,
           CASE WHEN NOT ST_IsValid(g) AND $2 THEN ST_CollectionExtract(ST_MakeValid(g), $3) ELSE g END AS g
    FROM input)
  SELECT valid, reason, ST_AsGeoJSON(g) AS geojson, ST_IsValid(g) AND NOT ST_IsEmpty(g) AS usable,
    (SELECT count(*)::int FROM ST_DumpPoints(g) d, base_features p
     WHERE p.layer = 'province' AND NOT ST_Intersects(p.geom, d.geom)
       AND NOT ST_DWithin(p.geom::geography, d.geom::geography, $4)) AS outside
  FROM fixed`;

export const HISTORY_SQL = `
  SELECT id::int AS id, version, action, actor, at, before, after, note
  FROM feature_history WHERE table_name = $1 AND feature_id = $2 ORDER BY id`;

export const HISTORY_ENTRY_SQL = `
  SELECT id::int AS id, feature_id, version, action, actor, at, before, after, note
  FROM feature_history WHERE table_name = $1 AND feature_id = $2 AND id = $3`;

/**
 * The layer as it was at $1 (timestamptz): for each feature, its last change at or
 * before that moment, unless that change deleted it. Properties come from the stored
 * snapshot, chosen for the audience exactly as the live layer's are.
 */
export function asOfCollectionSql(layer: LayerSpec, audience: Audience): { sql: string; params: unknown[] } {
  const params: unknown[] = [null, layer.table.name];
  let properties = jsonbObjectSql(fieldsFor(layer.table, audience), (f) => `s.row->'${f.name}'`);
  if (audience === 'public') properties = `(${properties} - ARRAY(SELECT jsonb_array_elements_text(s.row->'internal_fields')))`;
  let filter = 'TRUE';
  if (layer.where) {
    params.push(layer.where.values);
    filter = `s.row->>'${layer.where.column}' = ANY($${params.length}::text[])`;
  }
  const geometry = `ST_AsGeoJSON(ST_GeomFromGeoJSON(s.row->>'geometry'), ${DECIMALS})::json`;
  const feature = `json_build_object('type', 'Feature', 'id', s.feature_id, 'geometry', ${geometry}, 'properties', ${properties})`;
  const sql =
    `SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(${feature} ORDER BY s.feature_id), '[]'::json))::text AS body ` +
    `FROM (SELECT DISTINCT ON (h.feature_id) h.feature_id, h.action, h.after AS row FROM feature_history h ` +
    `WHERE h.table_name = $2 AND h.at <= $1 ORDER BY h.feature_id, h.id DESC) s ` +
    `WHERE s.action <> 'delete' AND ${filter}`;
  return { sql, params };
}
