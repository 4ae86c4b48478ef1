// Named SQL of edits, history and as-of views.
import { ident } from '../db/sql.ts';
import { DECIMALS, jsonbObjectSql } from '../layers/queries.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fieldsFor, type Audience, type TableSpec } from '../layers/tables.ts';
import { storedGeometrySql } from './changes.ts';

export const KNOWN_SOURCES_SQL = 'SELECT key FROM sources WHERE key = ANY($1::text[])';

/** Ids in use among the bases $1 and their numbered variants (base-2, base-3…). */
export const IDS_TAKEN_SQL = (table: string) =>
  `SELECT id::text FROM ${ident(table)} WHERE id = ANY($1::text[]) OR id LIKE ANY(ARRAY(SELECT b || '-%' FROM unnest($1::text[]) b))`;

/**
 * Geometries checked for writing. $1: JSON [{ord, geometry (GeoJSON text), compare}],
 * $2 repair?, $3 what to keep of ST_MakeValid (ST_CollectionExtract code), $4 tolerance
 * in metres. Validity is computed once per geometry (it is the costly part), its reason
 * only when invalid. A vertex is outside when the province outline buffered by the
 * tolerance does not cover it: the buffer is drawn on the ellipsoid (geography), never in
 * degrees, once per statement and only if some geometry leaves the outline itself — which
 * a feature inside the province never pays for. (Measuring each vertex's geodesic distance
 * to the 29,000-vertex outline instead took 30 s for 500 outlines near the border.)
 * `stored`, when `compare` asks for it: the geometry as the table would hold it (from the
 * same 9-decimal GeoJSON that is written), read back with the 7 decimals history keeps, to
 * tell an unchanged feature.
 */
export function geometryCheckSql(table: TableSpec): string {
  const stored = storedGeometrySql(table, 'ST_SetSRID(ST_GeomFromGeoJSON(ST_AsGeoJSON(f.g)), 4326)');
  return `
  WITH input AS MATERIALIZED (
    SELECT ord, compare, g, ST_IsValid(g) AS valid FROM (
      SELECT r.ord, r.compare, ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326) AS g
      FROM jsonb_to_recordset($1::jsonb) AS r(ord int, geometry text, compare boolean)) parsed),
  fixed AS MATERIALIZED (
    SELECT ord, compare, valid, CASE WHEN valid THEN NULL ELSE ST_IsValidReason(g) END AS reason,
           CASE WHEN valid THEN NOT ST_IsEmpty(g) WHEN $2 THEN NULL ELSE false END AS usable,
           CASE WHEN NOT valid AND $2 THEN ST_CollectionExtract(ST_MakeValid(g), $3) ELSE g END AS g
    FROM input),
  province AS MATERIALIZED (SELECT geom FROM base_features WHERE layer = 'province'),
  tolerance AS MATERIALIZED (SELECT ST_Buffer(geom::geography, $4)::geometry AS geom FROM province)
  SELECT f.ord, f.valid, f.reason, ST_AsGeoJSON(f.g) AS geojson,
    CASE WHEN f.compare THEN ST_AsGeoJSON(${stored}, 7) END AS stored,
    COALESCE(f.usable, ST_IsValid(f.g) AND NOT ST_IsEmpty(f.g)) AS usable,
    CASE WHEN p.geom IS NULL OR ST_Covers(p.geom, ST_Points(f.g)) THEN false ELSE
      NOT (SELECT ST_Covers(t.geom, ST_Points(f.g)) FROM tolerance t) END AS outside
  FROM fixed f LEFT JOIN province p ON true
  ORDER BY f.ord`;
}

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
