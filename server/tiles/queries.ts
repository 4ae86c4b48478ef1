// Named SQL for vector tiles, built once per layer from the registry.
//
// Tile maths: ST_TileEnvelope(z, x, y) is the tile's square in Web Mercator
// (EPSG:3857). Our geometries are stored in EPSG:4326, so the index filter compares
// them with that square (widened by the buffer) transformed to 4326 — Mercator maps
// the square to a lon/lat rectangle, so `&&` on the GiST index is exact, and only the
// features found are transformed. MVT coordinates are integers in 0…EXTENT with y
// pointing down; BUFFER units around the tile keep lines and outlines seamless.
import { ident, nameLiteral } from '../db/sql.ts';
import { layerFilterSql } from '../layers/queries.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { publicFields, type Field } from '../layers/tables.ts';

export const EXTENT = 4096;
export const BUFFER = 64;
/** A tile never holds more features than this (a zoomed-out view of 10^6 parcels). */
export const MAX_FEATURES_PER_TILE = 50_000;

export type TileAddress = { z: number; x: number; y: number };

/** The tile's geometry column expression, given the feature's geometry in EPSG:3857. */
export type TileGeometrySql = (mercator: string) => string;

// Arrays and JSON values would be dropped by ST_AsMVT (and are useless to a style):
// tiles carry the scalar public fields; the full feature is one request away by id.
const SCALAR_TYPES = new Set<Field['type']>(['text', 'number', 'integer', 'date', 'datetime']);

export const tileFields = (layer: LayerSpec): Field[] =>
  publicFields(layer.table).filter((f) => SCALAR_TYPES.has(f.type) && (!layer.tileProperties || layer.tileProperties.includes(f.name)));

/** The jsonb column (base layers) whose keys ST_AsMVT adds to the declared properties. */
export const EXTRA_PROPERTIES = 'extra_properties';

// Properties travel as plain columns, which ST_AsMVT encodes twice as fast as one jsonb
// object. Numbers as float8 and dates as ISO text, the same values the GeoJSON API
// gives. A field hidden on one feature (internal_fields) is NULL there, and ST_AsMVT
// leaves NULL properties out: absent, as in every public response.
function propertyColumnsSql(layer: LayerSpec): string[] {
  const columns = tileFields(layer).map((f) => {
    const column = `t.${ident(f.name)}`;
    const value = f.type === 'number' ? `${column}::float8` : f.type === 'date' || f.type === 'datetime' ? `to_jsonb(${column}) #>> '{}'` : column;
    const shown = layer.table.thematic ? `CASE WHEN ${nameLiteral(f.name)} = ANY(t.internal_fields) THEN NULL ELSE ${value} END` : value;
    return `${shown} AS ${ident(f.name)}`;
  });
  columns.push('t.id AS id');
  const extra = layer.table.extraPropertiesColumn;
  // Declared fields win over free-form extra properties with the same key.
  if (extra) columns.push(`t.${ident(extra)} - ARRAY[${tileFields(layer).map((f) => nameLiteral(f.name)).join(', ')}]::text[] AS ${ident(EXTRA_PROPERTIES)}`);
  return columns;
}

/**
 * One row per feature of the tile: `geom` in tile coordinates (NULL or empty when
 * nothing is left after clipping), then its properties as columns (id + public scalar
 * fields, + a jsonb of extra properties for base layers).
 * The CTE `tile` offers the tile's `envelope` (3857), its `xmin`, `ymax` and `size`.
 * Parameters: the layer's filter values, then z, x, y.
 */
export function tileRowsSql(layer: LayerSpec, geometry: TileGeometrySql): { sql: string; filterParams: unknown[] } {
  const filter = layerFilterSql(layer);
  const n = filter.params.length;
  const column = `t.${ident(layer.geometryColumn)}`;
  const sql =
    `WITH tile AS (SELECT e AS envelope, ST_XMin(e) AS xmin, ST_YMax(e) AS ymax, ST_XMax(e) - ST_XMin(e) AS size, ` +
    `ST_Transform(ST_TileEnvelope($${n + 1}, $${n + 2}, $${n + 3}, margin => ${BUFFER / EXTENT}), 4326) AS filter ` +
    `FROM ST_TileEnvelope($${n + 1}, $${n + 2}, $${n + 3}) AS e) ` +
    `SELECT ${geometry(`ST_Transform(${column}, 3857)`)} AS geom, ${propertyColumnsSql(layer).join(', ')} ` +
    `FROM ${ident(layer.table.name)} t, tile WHERE ${filter.sql} AND ${column} && tile.filter ` +
    `LIMIT ${MAX_FEATURES_PER_TILE}`;
  return { sql, filterParams: filter.params };
}
