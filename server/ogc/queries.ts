// SQL for OGC items, built per request from the registry and the parsed query. The
// page is ordered by id (the primary key's index) with LIMIT/OFFSET; the bbox goes
// through ST_Intersects, which uses the GiST index; every value is a $n parameter.
import { ident } from '../db/sql.ts';
import { featureJsonSql, layerFilterSql, selectedFields } from '../layers/queries.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { OutputCrs } from '../layers/queries.ts';
import type { Audience } from '../layers/tables.ts';
import type { ItemsQuery } from './params.ts';

const CASTS = { text: 'text', number: 'numeric', integer: 'integer', date: 'date' } as const;

export type ItemsSql = { page: string; count: string; params: unknown[]; pageParams: unknown[] };

function whereSql(layer: LayerSpec, query: ItemsQuery): { sql: string; params: unknown[] } {
  const filter = layerFilterSql(layer);
  const params = [...filter.params];
  const next = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const clauses = [filter.sql];
  const column = `t.${ident(layer.geometryColumn)}`;
  if (query.bbox) {
    const [a, b, c, d] = query.bbox.map(next);
    clauses.push(`ST_Intersects(${column}, ST_Transform(ST_MakeEnvelope(${a}, ${b}, ${c}, ${d}, ${next(query.bboxCrs.srid)}::int), 4326))`);
  }
  if (query.datetime && layer.temporalField) {
    const field = layer.table.fields.find((f) => f.name === layer.temporalField)!;
    const value = `t.${ident(field.name)}::timestamptz`;
    // A date is the whole day: it matches an instant within it.
    const end = field.type === 'date' ? `${value} + interval '1 day'` : value;
    if (query.datetime.start) clauses.push(`${end} > ${next(query.datetime.start)}::timestamptz`);
    if (query.datetime.end) clauses.push(`${value} <= ${next(query.datetime.end)}::timestamptz`);
  }
  for (const { field, value } of query.filters) {
    clauses.push(`t.${ident(field.name)} = ${next(value)}::${CASTS[field.type as keyof typeof CASTS]}`);
  }
  return { sql: clauses.join(' AND '), params };
}

/** The page (count + features as one JSON text) and the count of all matches. */
export function itemsSql(layer: LayerSpec, query: ItemsQuery, audience: Audience): ItemsSql {
  const where = whereSql(layer, query);
  const table = ident(layer.table.name);
  const n = where.params.length;
  const feature = featureJsonSql(layer, selectedFields(layer, audience), audience, 't', query.crs);
  return {
    // The page's rows are chosen first and turned into JSON after: PostgreSQL would
    // otherwise build the JSON of every row skipped by OFFSET too.
    page:
      `SELECT count(*)::int AS returned, COALESCE(json_agg(${feature} ORDER BY t.id), '[]')::text AS features FROM ` +
      `(SELECT * FROM ${table} t WHERE ${where.sql} ORDER BY t.id LIMIT $${n + 1} OFFSET $${n + 2}) t`,
    count: `SELECT count(*)::int AS matched FROM ${table} t WHERE ${where.sql}`,
    params: where.params,
    pageParams: [...where.params, query.limit, query.offset],
  };
}

/** One feature by id, in the requested CRS. */
export function itemSql(layer: LayerSpec, crs: OutputCrs, audience: Audience): { sql: string; params: unknown[] } {
  const filter = layerFilterSql(layer);
  const feature = featureJsonSql(layer, selectedFields(layer, audience), audience, 't', crs);
  return {
    sql: `SELECT ${feature}::text AS body FROM ${ident(layer.table.name)} t WHERE ${filter.sql} AND t.id = $${filter.params.length + 1}`,
    params: filter.params,
  };
}
