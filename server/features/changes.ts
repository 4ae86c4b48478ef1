// The one way thematic features change. Every create, update and delete goes through
// applyChange, which stores who, when, and the full before/after in feature_history:
// history, as-of views, audit and revert are built on it.
import type { Queryable } from '../db/adapter.ts';
import { ident } from '../db/sql.ts';
import type { Field, TableSpec } from '../layers/tables.ts';

export type Geometry = { type: string; coordinates?: unknown; geometries?: unknown };
export type FeatureValues = Record<string, unknown>;

export type Change =
  | { action: 'create'; id: string; values: FeatureValues; geometry: Geometry }
  | { action: 'update'; id: string; values: FeatureValues; geometry?: Geometry; expectedVersion?: number }
  | { action: 'delete'; id: string; expectedVersion?: number };

export type ChangeResult = { id: string; version: number; historyId: number };

export class FeatureNotFoundError extends Error {}
export class VersionConflictError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Feature is at version ${actual}, not ${expected}.`);
  }
}

export async function applyChange(
  tx: Queryable,
  table: TableSpec,
  change: Change,
  actor: string,
  note: string | null = null,
): Promise<ChangeResult> {
  if (!table.thematic) throw new Error(`Table ${table.name} is reference data and is not edited feature by feature.`);
  const before = change.action === 'create' ? null : await lockedSnapshot(tx, table, change.id);
  if (change.action !== 'create') {
    if (!before) throw new FeatureNotFoundError(`${table.name} has no feature '${change.id}'.`);
    const actual = before.version as number;
    if (change.expectedVersion !== undefined && change.expectedVersion !== actual) {
      throw new VersionConflictError(change.expectedVersion, actual);
    }
  }

  let version: number;
  if (change.action === 'create') {
    version = await insertFeature(tx, table, change.id, change.values, change.geometry);
  } else if (change.action === 'update') {
    version = await updateFeature(tx, table, change.id, change.values, change.geometry);
  } else {
    await tx.query(`DELETE FROM ${ident(table.name)} WHERE id = $1`, [change.id]);
    version = (before!.version as number) + 1;
  }

  const after = change.action === 'delete' ? null : await snapshot(tx, table, change.id);
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO feature_history (table_name, feature_id, version, action, actor, before, after, note)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8) RETURNING id`,
    [table.name, change.id, version, change.action, actor, json(before), json(after), note],
  );
  return { id: change.id, version, historyId: row!.id };
}

const writableFields = (table: TableSpec, values: FeatureValues): Field[] => {
  const known = new Map(table.fields.filter((f) => !f.generated).map((f) => [f.name, f]));
  const unknown = Object.keys(values).filter((k) => !known.has(k) && k !== 'internal_fields');
  if (unknown.length) throw new Error(`Unknown field(s) for ${table.name}: ${unknown.join(', ')}`);
  const fields = Object.keys(values).map((k) => known.get(k)).filter((f): f is Field => f !== undefined);
  if ('internal_fields' in values) fields.push(HIDDEN_FIELDS);
  return fields;
};

/** Per-feature hidden fields: a column of every thematic table, not in the field lists. */
export const HIDDEN_FIELDS: Field = {
  name: 'internal_fields',
  type: 'text[]',
  title: { vi: 'Trường ẩn', en: 'Hidden fields' },
  visibility: 'internal',
};

const CASTS: Record<Field['type'], string> = {
  text: 'text',
  number: 'numeric',
  integer: 'integer',
  date: 'date',
  datetime: 'timestamptz',
  'text[]': 'text[]',
  json: 'jsonb',
};

// JSON values travel as text: node-postgres would turn a JS array into a SQL array.
const toParam = (field: Field, value: unknown) => (field.type === 'json' ? json(value) : value);

/** GeoJSON → stored geometry: WGS 84, multi-part where the column is, RFC 7946 winding. */
export function geometryFromGeoJsonSql(table: TableSpec, param: string): string {
  const geometry = `ST_SetSRID(ST_GeomFromGeoJSON(${param}), 4326)`;
  return table.geometryType === 'Point' ? geometry : `ST_ForcePolygonCCW(ST_Multi(${geometry}))`;
}

async function insertFeature(tx: Queryable, table: TableSpec, id: string, values: FeatureValues, geometry: Geometry) {
  const fields = writableFields(table, values);
  const params: unknown[] = [id, ...fields.map((f) => toParam(f, values[f.name])), JSON.stringify(geometry)];
  const columns = ['id', ...fields.map((f) => ident(f.name)), 'geom'];
  const placeholders = [
    '$1',
    ...fields.map((f, i) => `$${i + 2}::${CASTS[f.type]}`),
    geometryFromGeoJsonSql(table, `$${params.length}`),
  ];
  const [row] = await tx.query<{ version: number }>(
    `INSERT INTO ${ident(table.name)} (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING version`,
    params,
  );
  return row!.version;
}

async function updateFeature(
  tx: Queryable,
  table: TableSpec,
  id: string,
  values: FeatureValues,
  geometry: Geometry | undefined,
) {
  const fields = writableFields(table, values);
  const params: unknown[] = [id, ...fields.map((f) => toParam(f, values[f.name]))];
  const sets = fields.map((f, i) => `${ident(f.name)} = $${i + 2}::${CASTS[f.type]}`);
  if (geometry) {
    params.push(JSON.stringify(geometry));
    sets.push(`geom = ${geometryFromGeoJsonSql(table, `$${params.length}`)}`);
  }
  sets.push('version = version + 1', 'updated_at = now()');
  const [row] = await tx.query<{ version: number }>(
    `UPDATE ${ident(table.name)} SET ${sets.join(', ')} WHERE id = $1 RETURNING version`,
    params,
  );
  return row!.version;
}

const snapshotSql = (table: TableSpec, lock: boolean) =>
  `SELECT (to_jsonb(t) - 'geom') || jsonb_build_object('geometry', ST_AsGeoJSON(t.geom, 7)::jsonb) AS row
   FROM ${ident(table.name)} t WHERE t.id = $1${lock ? ' FOR UPDATE' : ''}`;

/** The stored row as history keeps it (geometry as GeoJSON); locked for update when asked. */
export async function snapshot(tx: Queryable, table: TableSpec, id: string, lock = false) {
  const [row] = await tx.query<{ row: Record<string, unknown> }>(snapshotSql(table, lock), [id]);
  return row?.row ?? null;
}

const lockedSnapshot = (tx: Queryable, table: TableSpec, id: string) => snapshot(tx, table, id, true);

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
