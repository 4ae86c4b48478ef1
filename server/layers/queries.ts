// Named SQL for the layer API, built once per layer from the registry. GeoJSON is
// assembled inside PostGIS and returned as one text value: no row-by-row JSON work in
// Node, and the same bytes on PGlite and PostgreSQL.
import { ident } from '../db/sql.ts';
import type { LayerSpec } from './registry.ts';
import { fieldsFor, type Audience, type Field } from './tables.ts';

// Output precision: 6 decimals of a degree ≈ 0.1 m, far below our best accuracy.
export const DECIMALS = 6;
// jsonb_build_object takes at most 100 arguments; build wide objects in chunks.
const PAIRS_PER_CALL = 40;

export type LayerQueries = {
  collection: string;
  collectionInBbox: string;
  /** Each feature's GeoJSON text and its id, to be read in keyset pages (layers too large to hold). */
  features: string;
  featuresInBbox: string;
  /** How many features meet the bbox, counting no further than the last parameter. */
  countInBbox: string;
  feature: string;
  /** Parameters preceding the query's own: the layer's constant filter values. */
  filterParams: unknown[];
};

export function selectedFields(layer: LayerSpec, audience: Audience, names?: readonly string[]): Field[] {
  const visible = fieldsFor(layer.table, audience);
  if (!names) return visible;
  return visible.filter((f) => names.includes(f.name));
}

/** A jsonb object of the fields, each value given by `value` (a SQL expression). */
export function jsonbObjectSql(fields: readonly Field[], value: (field: Field) => string): string {
  const pairs = fields.map((f) => `'${f.name}', ${value(f)}`);
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += PAIRS_PER_CALL) {
    chunks.push(`jsonb_build_object(${pairs.slice(i, i + PAIRS_PER_CALL).join(', ')})`);
  }
  return chunks.length ? chunks.join(' || ') : `'{}'::jsonb`;
}

export function propertiesSql(layer: LayerSpec, fields: readonly Field[], audience: Audience, alias = 't'): string {
  let sql = jsonbObjectSql(fields, (f) => `${alias}.${ident(f.name)}`);
  const extra = layer.table.extraPropertiesColumn;
  // Declared fields win over free-form extra properties with the same key.
  if (extra) sql = `(${alias}.${ident(extra)} || ${sql})`;
  // Per-feature hidden fields are removed (absent, not null) for the public.
  if (layer.table.thematic && audience === 'public') sql = `(${sql} - ${alias}.internal_fields)`;
  return sql;
}

/** Coordinates as served: SRID, axis order, decimals. Stored data is EPSG:4326, lon/lat. */
export type OutputCrs = { srid: number; latLon: boolean; decimals: number };

export const LON_LAT: OutputCrs = { srid: 4326, latLon: false, decimals: DECIMALS };

export function geometrySql(layer: LayerSpec, alias = 't', output: OutputCrs = LON_LAT): string {
  const column = `${alias}.${ident(layer.geometryColumn)}`;
  let geometry = layer.simplify ? `ST_SimplifyPreserveTopology(${column}, ${Number(layer.simplify)})` : column;
  if (output.srid !== 4326) geometry = `ST_Transform(${geometry}, ${Number(output.srid)})`;
  if (output.latLon) geometry = `ST_FlipCoordinates(${geometry})`;
  // Option 0: no "crs" member, whatever the SRID (the CRS is said in Content-Crs).
  return `ST_AsGeoJSON(${geometry}, ${Number(output.decimals)}, 0)::json`;
}

export function featureJsonSql(layer: LayerSpec, fields: readonly Field[], audience: Audience, alias = 't', output: OutputCrs = LON_LAT): string {
  return `json_build_object('type', 'Feature', 'id', ${alias}.id, 'geometry', ${geometrySql(layer, alias, output)}, 'properties', ${propertiesSql(layer, fields, audience, alias)})`;
}

/** WHERE clause of the layer's constant filter, as parameter $firstParam when there is one. */
export function layerFilterSql(layer: LayerSpec, alias = 't', firstParam = 1): { sql: string; params: unknown[] } {
  if (!layer.where) return { sql: 'TRUE', params: [] };
  return { sql: `${alias}.${ident(layer.where.column)} = ANY($${firstParam}::text[])`, params: [layer.where.values] };
}

export function buildLayerQueries(layer: LayerSpec, audience: Audience, fieldNames?: readonly string[]): LayerQueries {
  const fields = selectedFields(layer, audience, fieldNames);
  const table = ident(layer.table.name);
  const filter = layerFilterSql(layer);
  const next = filter.params.length + 1;
  const feature = featureJsonSql(layer, fields, audience);
  const collection = (extraWhere: string) =>
    `SELECT json_build_object('type', 'FeatureCollection', 'features', ` +
    `COALESCE(json_agg(${feature} ORDER BY t.id), '[]'::json))::text AS body ` +
    `FROM ${table} t WHERE ${filter.sql}${extraWhere}`;
  const envelope = `ST_MakeEnvelope($${next}, $${next + 1}, $${next + 2}, $${next + 3}, 4326)`;
  const inBbox = ` AND ST_Intersects(t.${ident(layer.geometryColumn)}, ${envelope})`;
  const features = `SELECT t.id::text AS id, ${feature}::text AS feature FROM ${table} t WHERE ${filter.sql}`;
  return {
    collection: collection(''),
    collectionInBbox: collection(inBbox),
    features,
    featuresInBbox: features + inBbox,
    countInBbox: `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} t WHERE ${filter.sql}${inBbox} LIMIT $${next + 4}) s`,
    feature: `SELECT ${feature}::text AS body FROM ${table} t WHERE ${filter.sql} AND t.id = $${next}`,
    filterParams: filter.params,
  };
}

/** Feature count, extent and date range of every layer, in one round trip. */
export function layerSummariesSql(all: readonly LayerSpec[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts = all.map((layer) => {
    const filter = layerFilterSql(layer, 't', params.length + 1);
    const where = filter.sql;
    params.push(...filter.params);
    params.push(layer.id);
    const idParam = `$${params.length}::text`;
    const temporal = layer.temporalField ? `t.${ident(layer.temporalField)}` : 'NULL';
    return (
      `SELECT ${idParam} AS layer, count(*)::int AS feature_count, ST_Extent(t.${ident(layer.geometryColumn)}) AS extent, ` +
      `min(${temporal})::text AS first_date, max(${temporal})::text AS last_date ` +
      `FROM ${ident(layer.table.name)} t WHERE ${where}`
    );
  });
  const sql =
    `SELECT layer, feature_count, ST_XMin(extent) AS min_lon, ST_YMin(extent) AS min_lat, ` +
    `ST_XMax(extent) AS max_lon, ST_YMax(extent) AS max_lat, first_date, last_date FROM (${parts.join(' UNION ALL ')}) s`;
  return { sql, params };
}

export const tableRevisionSql = 'SELECT revision FROM table_revisions WHERE table_name = $1';
export const allRevisionsSql = 'SELECT table_name, revision FROM table_revisions';
