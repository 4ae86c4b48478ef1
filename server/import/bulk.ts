// Bulk loading of large reference layers (land parcels: 10^5–10^6 polygons). Features
// travel in batches as one JSON parameter and are inserted by one set-based statement
// per batch (jsonb_to_recordset), inside one transaction: all or nothing, the same SQL
// on PGlite and PostgreSQL, and one revision bump per batch rather than per row.
// Thematic tables are not loaded here: their writes go through applyChange (history).
import type { Database } from '../db/adapter.ts';
import { ident } from '../db/sql.ts';
import type { Field, FieldType, TableSpec } from '../layers/tables.ts';

export type ImportFeature = {
  id: string;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
};

export type ImportReport = { table: string; features: number; batches: number; replaced: boolean };

const RECORD_TYPES: Record<FieldType, string> = {
  text: 'text',
  number: 'double precision',
  integer: 'integer',
  date: 'date',
  datetime: 'timestamptz',
  'text[]': 'text[]',
  json: 'jsonb',
};

/** INSERT … SELECT FROM jsonb_to_recordset($1): one statement for a whole batch. */
export function bulkInsertSql(table: TableSpec): string {
  if (table.thematic) throw new Error(`${table.name} keeps history: write it through applyChange, not in bulk.`);
  const fields: Field[] = table.fields.filter((f) => !f.generated);
  const columns = ['id', ...fields.map((f) => f.name)].map(ident);
  const record = [
    'id text',
    ...fields.map((f) => `${ident(f.name)} ${RECORD_TYPES[f.type]}`),
    'geometry jsonb',
  ].join(', ');
  // Parts are forced to multi so single polygons fit MultiPolygon columns.
  const geometry =
    table.geometryType === 'Point' || table.geometryType === 'Geometry'
      ? 'ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326)'
      : 'ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326))';
  return (
    `INSERT INTO ${ident(table.name)} (${columns.join(', ')}, geom) ` +
    `SELECT ${columns.map((c) => `r.${c}`).join(', ')}, ${geometry} ` +
    `FROM jsonb_to_recordset($1::jsonb) AS r(${record})`
  );
}

/**
 * Loads batches of features into a table in one transaction. `replace` empties the
 * table first (a new edition of the cadastre replaces the old one).
 */
export async function importFeatures(
  db: Database,
  table: TableSpec,
  batches: Iterable<ImportFeature[]> | AsyncIterable<ImportFeature[]>,
  { replace = false, onBatch = (_loaded: number) => {} } = {},
): Promise<ImportReport> {
  const sql = bulkInsertSql(table);
  return db.transaction(async (tx) => {
    if (replace) await tx.query(`TRUNCATE ${ident(table.name)}`);
    let features = 0;
    let count = 0;
    for await (const batch of batches) {
      if (!batch.length) continue;
      const rows = batch.map((f) => ({ ...f.properties, id: f.id, geometry: f.geometry }));
      await tx.query(sql, [JSON.stringify(rows)]);
      features += batch.length;
      count++;
      onBatch(features);
    }
    return { table: table.name, features, batches: count, replaced: replace };
  });
}
