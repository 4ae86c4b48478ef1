// The one way thematic features change. Every create, update and delete goes through
// applyChange, which stores who, when, and the full before/after in feature_history:
// history, as-of views, audit and revert are built on it.
import type { Queryable } from '../db/adapter.ts';
import { ident } from '../db/sql.ts';
import type { Field, TableSpec } from '../layers/tables.ts';

export type Geometry = { type: string; coordinates?: unknown; geometries?: unknown };
export type FeatureValues = Record<string, unknown>;

/** A geometry to write: GeoJSON in WGS 84, as an object or as its text (imports keep large files as text). */
export type GeometryInput = Geometry | string;

/** `note`: this change's own history note, instead of the one given for all. */
export type Change = (
  | { action: 'create'; id: string; values: FeatureValues; geometry: GeometryInput }
  | { action: 'update'; id: string; values: FeatureValues; geometry?: GeometryInput; expectedVersion?: number }
  | { action: 'delete'; id: string; expectedVersion?: number }
) & { note?: string };

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

/** One change, written as applyChanges writes many. */
export async function applyChange(tx: Queryable, table: TableSpec, change: Change, actor: string, note: string | null = null): Promise<ChangeResult> {
  return (await applyChanges(tx, table, [change], actor, note))[0]!;
}

// Rows per statement: one JSON parameter of a few MB at most, even for detailed outlines.
const BATCH = 500;

/**
 * Writes changes to one table set-based: the rows to change are locked and their
 * versions checked in one statement, then each batch of creates, updates (grouped by
 * the fields they set) or deletes is one statement that also records its history
 * (a data-modifying CTE: the history row is built from exactly what was written).
 * Results come back in the order of `changes`.
 */
export async function applyChanges(tx: Queryable, table: TableSpec, changes: readonly Change[], actor: string, note: string | null = null): Promise<ChangeResult[]> {
  if (!table.thematic) throw new Error(`Table ${table.name} is reference data and is not edited feature by feature.`);
  await lockAndCheckVersions(tx, table, changes);
  const results = new Map<string, ChangeResult>();
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const key = change.action === 'delete' ? 'delete' : `${change.action}|${change.geometry ? 'g' : ''}|${Object.keys(change.values).sort().join(',')}`;
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += BATCH) {
      const batch = group.slice(i, i + BATCH);
      const { sql, rows } = writeSql(table, batch);
      const written = await tx.query<{ history_id: number; feature_id: string; version: number }>(sql, [JSON.stringify(rows), table.name, actor, note]);
      for (const w of written) results.set(w.feature_id, { id: w.feature_id, version: w.version, historyId: w.history_id });
    }
  }
  return changes.map((c) => results.get(c.id)!);
}

/** Locks the rows to update or delete; throws if one is missing or not at the version expected. */
async function lockAndCheckVersions(tx: Queryable, table: TableSpec, changes: readonly Change[]): Promise<void> {
  const existing = changes.filter((c) => c.action !== 'create');
  if (!existing.length) return;
  const rows = await tx.query<{ id: string; version: number }>(
    `SELECT id::text, version FROM ${ident(table.name)} WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
    [existing.map((c) => c.id)],
  );
  const versions = new Map(rows.map((r) => [r.id, r.version]));
  for (const change of existing) {
    const actual = versions.get(change.id);
    if (actual === undefined) throw new FeatureNotFoundError(`${table.name} has no feature '${change.id}'.`);
    if (change.expectedVersion !== undefined && change.expectedVersion !== actual) {
      throw new VersionConflictError(change.expectedVersion, actual);
    }
  }
}

/** The stored row as history keeps it: every column, the geometry as GeoJSON. */
const snapshotJson = (alias: string) => `(to_jsonb(${alias}) - 'geom') || jsonb_build_object('geometry', ST_AsGeoJSON(${alias}.geom, 7)::jsonb)`;

const historySql = (source: string, action: Change['action'], version: string, before: string, after: string) =>
  `INSERT INTO feature_history (table_name, feature_id, version, action, actor, before, after, note) ` +
  `SELECT $2, ${source}.id, ${version}, '${action}', $3, ${before}, ${after}, COALESCE(input.history_note, $4) FROM ${source} JOIN input ON input.id = ${source}.id ` +
  `RETURNING id::int AS history_id, feature_id, version`;

/**
 * One statement for a batch of changes of one kind ($1 the rows as JSON, each with its own
 * note or null, $2 table, $3 actor, $4 the note of all).
 */
function writeSql(table: TableSpec, batch: Change[]): { sql: string; rows: Record<string, unknown>[] } {
  const t = ident(table.name);
  const first = batch[0]!;
  if (first.action === 'delete') {
    return {
      sql:
        `WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id text, history_note text)), ` +
        `gone AS (DELETE FROM ${t} t USING input WHERE t.id = input.id RETURNING t.*) ` +
        historySql('gone', 'delete', 'gone.version + 1', snapshotJson('gone'), 'NULL::jsonb'),
      rows: batch.map((c) => ({ id: c.id, history_note: c.note ?? null })),
    };
  }
  const fields = writableFields(table, first.values);
  const geometry = first.geometry !== undefined;
  const record = ['id text', 'history_note text', ...fields.map((f) => `${ident(f.name)} ${CASTS[f.type]}`), ...(geometry ? ['geometry text'] : [])].join(', ');
  const input = `input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${record}))`;
  const rows = batch.map((c) => {
    const values = c.action === 'delete' ? {} : c.values;
    const row: Record<string, unknown> = { id: c.id, history_note: c.note ?? null };
    for (const f of fields) row[f.name] = values[f.name] ?? null;
    if (geometry && c.action !== 'delete') row.geometry = typeof c.geometry === 'string' ? c.geometry : JSON.stringify(c.geometry);
    return row;
  });
  const geom = geometryFromGeoJsonSql(table, 'input.geometry');
  if (first.action === 'create') {
    const columns = ['id', ...fields.map((f) => ident(f.name)), 'geom'];
    const values = ['input.id', ...fields.map((f) => `input.${ident(f.name)}`), geom];
    return {
      sql:
        `WITH ${input}, made AS (INSERT INTO ${t} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM input RETURNING *) ` +
        historySql('made', 'create', 'made.version', 'NULL::jsonb', snapshotJson('made')),
      rows,
    };
  }
  const sets = [...fields.map((f) => `${ident(f.name)} = input.${ident(f.name)}`), ...(geometry ? [`geom = ${geom}`] : []), 'version = t.version + 1', 'updated_at = now()'];
  // Every part of one statement sees the rows as they were before it: `old` is the "before".
  return {
    sql:
      `WITH ${input}, old AS (SELECT t.id, ${snapshotJson('t')} AS row FROM ${t} t JOIN input ON input.id = t.id), ` +
      `changed AS (UPDATE ${t} t SET ${sets.join(', ')} FROM input WHERE t.id = input.id RETURNING t.*) ` +
      historySql('changed', 'update', 'changed.version', '(SELECT old.row FROM old WHERE old.id = changed.id)', snapshotJson('changed')),
    rows,
  };
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

/** GeoJSON → stored geometry: WGS 84, multi-part where the column is, RFC 7946 winding. */
export function geometryFromGeoJsonSql(table: TableSpec, param: string): string {
  return storedGeometrySql(table, `ST_SetSRID(ST_GeomFromGeoJSON(${param}), 4326)`);
}

export function storedGeometrySql(table: TableSpec, geometry: string): string {
  return table.geometryType === 'Point' ? geometry : `ST_ForcePolygonCCW(ST_Multi(${geometry}))`;
}

const snapshotSql = (table: TableSpec, lock: boolean) => `SELECT ${snapshotJson('t')} AS row FROM ${ident(table.name)} t WHERE t.id = $1${lock ? ' FOR UPDATE' : ''}`;

/** The stored row as history keeps it (geometry as GeoJSON); locked for update when asked. */
export async function snapshot(tx: Queryable, table: TableSpec, id: string, lock = false) {
  const [row] = await tx.query<{ row: Record<string, unknown> }>(snapshotSql(table, lock), [id]);
  return row?.row ?? null;
}

/** The stored rows of those ids that exist, as history keeps them, by id. */
export async function snapshots(q: Queryable, table: TableSpec, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  if (!ids.length) return new Map();
  const rows = await q.query<{ id: string; row: Record<string, unknown> }>(
    `SELECT t.id::text AS id, ${snapshotJson('t')} AS row FROM ${ident(table.name)} t WHERE t.id = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.row]));
}

