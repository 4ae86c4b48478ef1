// Named SQL of imports, exports and VN-2000 conversion.
import type { KeysetQuery } from '../db/keyset.ts';
import { ident } from '../db/sql.ts';
import { layerFilterSql, propertiesSql } from '../layers/queries.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fieldsFor, type Audience } from '../layers/tables.ts';

// Exports keep 9 decimals of a degree (~0.1 mm): re-imported, a geometry is the same.
const EXPORT_DECIMALS = 9;

/** The layer's features for the audience, with GeoJSON and WKT geometry, to be read in keyset pages. */
export function exportSql(layer: LayerSpec, audience: Audience): KeysetQuery {
  let properties = propertiesSql(layer, fieldsFor(layer.table, audience), audience);
  // Staff exports carry the per-feature hidden fields, so a re-import keeps them hidden.
  if (layer.table.thematic && audience === 'internal') properties = `(${properties} || jsonb_build_object('internal_fields', t.internal_fields))`;
  const filter = layerFilterSql(layer);
  const g = `t.${ident(layer.geometryColumn)}`;
  return {
    sql:
      `SELECT t.id::text AS id, ${properties} AS properties, ST_AsGeoJSON(${g}, ${EXPORT_DECIMALS})::json AS geometry, ` +
      `ST_AsText(${g}, ${EXPORT_DECIMALS}) AS wkt FROM ${ident(layer.table.name)} t WHERE ${filter.sql}`,
    params: filter.params,
  };
}

/** A returned form's document as a source ($1 key … $6 note); one returned twice is kept as it was. */
export const RETURN_SOURCE_SQL = `INSERT INTO sources (key, title, publisher, published, url, licence, note) VALUES ($1, $2, $3, $4, NULL, $5, $6) ON CONFLICT (key) DO NOTHING`;

/** An error on purpose, raised inside a savepoint to clear PGlite's error stack (import.ts, checkCrs). */
export const CLEAR_ERROR_STACK_SQL = `DO $$ BEGIN RAISE EXCEPTION 'clearing the error stack'; END $$`;

/** Whether PROJ understands a coordinate system definition ($1: WKT or PROJ string). */
export const CRS_CHECK_SQL = `SELECT ST_AsText(ST_Transform(ST_SetSRID(ST_MakePoint(500000, 2400000), 0), $1::text, 4326)) AS point`;

/**
 * Geometries of a file → GeoJSON in WGS 84. $1: JSON [{ord, wkt}] (WKT in WGS 84) or
 * [{ord, geojson}] (GeoJSON text in the source CRS $2: WKT or PROJ string).
 */
export const TO_WGS84_SQL = `
  SELECT r.ord, ST_AsGeoJSON(CASE WHEN r.wkt IS NOT NULL THEN ST_GeomFromText(r.wkt, 4326)
    ELSE ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(r.geojson), 0), $2::text, 4326) END, ${EXPORT_DECIMALS}) AS geojson
  FROM jsonb_to_recordset($1::jsonb) AS r(ord int, wkt text, geojson text) ORDER BY r.ord`;


/**
 * A VN-2000 TM-3 polygon ($1: GeoJSON with [easting, northing] metres; $2: the zone's
 * PROJ string) in WGS 84, with its area on the plane of the zone (as survey documents
 * state it) and on the ellipsoid, and whether it is a valid polygon.
 */
export const VN2000_POLYGON_SQL = `
  SELECT ST_AsGeoJSON(w, ${EXPORT_DECIMALS}) AS geojson, ST_Area(p) AS plane_area_m2, ST_Area(w::geography) AS ellipsoid_area_m2,
         ST_Perimeter(p) AS perimeter_m, ST_IsValid(p) AS valid, ST_IsValidReason(p) AS reason
  FROM (SELECT ST_GeomFromGeoJSON($1) AS p) input, LATERAL (SELECT ST_Transform(ST_SetSRID(p, 0), $2::text, 4326) AS w) t`;

/** Corner points ($1: GeoJSON MultiPoint of [easting, northing]) in WGS 84. */
export const VN2000_POINTS_SQL = `SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 0), $2::text, 4326), ${EXPORT_DECIMALS}) AS geojson`;
