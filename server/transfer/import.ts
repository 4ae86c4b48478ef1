// Importing a file into a layer, in phases that each touch the database with a few set
// statements rather than several per feature:
//  1. read the file (formats/), map its properties to fields, check values in Node;
//  2. ask the database, outside any transaction so other requests go on between these
//     statements: geometries to WGS 84 and checked (validity, in the province), the
//     stored rows of the ids the file names, which sources exist, which ids are taken;
//  3. if every feature passed, write them all through the one write path (applyChanges)
//     in one transaction: a preview rolls it back, a commit keeps it.
// A refusal by the database in (3) (a unique marker number taken meanwhile) is traced to
// its feature by writing them one at a time. Every statement is a cancellation point:
// a client that leaves stops the import, and its transaction is rolled back.
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { isRefusal, type Database, type Queryable } from '../db/adapter.ts';
import { HIDDEN_FIELDS, snapshots, VersionConflictError, type Change, type FeatureValues } from '../features/changes.ts';
import { idBase, idsTaken, inLayer, isFeatureId, uniqueId, writeChanges } from '../features/edit.ts';
import { checkGeometries, checkGeometryShape, type CheckedGeometry } from '../features/geometry.ts';
import { fieldError, type FieldError } from '../features/messages.ts';
import { knownSources, sourceErrors, validateValues, ValidationFailed } from '../features/validation.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { Field } from '../layers/tables.ts';
import type { Title } from '../layers/vocabulary.ts';
import { fileError, fromText, type FileFormat } from './formats/format.ts';
import { formatForFile } from './formats/index.ts';
import { dbfNames } from './formats/shapefile.ts';
import { vocabularies } from '../layers/vocabulary.ts';
import { INFORMATION_PREFIX } from '../reports/template.ts';
import { CLEAR_ERROR_STACK_SQL, CRS_CHECK_SQL, RETURN_SOURCE_SQL, TO_WGS84_SQL } from './queries.ts';
import { uploadReader } from './read-upload.ts';
import { isReturnColumn, returnColumns, returnedChange, type ReturnColumns, type ReturnSource } from './returns.ts';
import type { UploadedFeature } from './uploaded-feature.ts';

// Features per statement in phase 2: one JSON parameter of a few MB at most.
const BATCH = 500;
// Features checked in Node between two turns of the event loop.
const NODE_SLICE = 250;

export type ImportRow = {
  ref: string;
  id: string | null;
  action: 'create' | 'update' | 'unchanged' | null;
  errors: FieldError[];
  /** The geometry in WGS 84, GeoJSON text, for the preview map (sent as JSON: reportJson). */
  geometry: string | null;
  /** An update: each field it changes, from the stored value to the new one. */
  changes?: { field: string; from: unknown; to: unknown }[];
};

export type ImportReport = {
  layer: string;
  format: string;
  committed: boolean;
  counts: { create: number; update: number; unchanged: number; invalid: number };
  /** Properties in the file that are no field of the layer: left out. */
  ignoredProperties: string[];
  warnings: Title[];
  rows: ImportRow[];
};

class Rollback extends Error {
  constructor() {
    super('import rolled back');
  }
}

export type ImportRequest = {
  layer: LayerSpec;
  fileName: string;
  bytes: Uint8Array;
  actor: string;
  repair: boolean;
  commit: boolean;
  /** Aborted when the client leaves: the import stops between statements and writes nothing. */
  signal?: AbortSignal;
};

/** One feature of the file on its way through the phases. */
type Plan = {
  row: ImportRow;
  properties: Record<string, unknown>;
  /** `version` from an exported file: the feature must not have changed since. */
  version: number | undefined;
  /** The stored row, when the file names a feature that exists. */
  current: Record<string, unknown> | null;
  values?: FeatureValues;
  /** The geometry passed the checks made in Node; PostGIS checks it next. */
  wellFormed?: boolean;
  checked?: CheckedGeometry;
  /** What to write; none for a refused or unchanged feature. */
  change?: Change;
  /** A returned collection form's own columns on this row (returns.ts). */
  ret?: ReturnColumns;
  /** The source record the return becomes. */
  source?: ReturnSource;
};

export async function runImport(db: Database, request: ImportRequest): Promise<ImportReport> {
  const { layer, bytes, signal } = request;
  if (!bytes.length) throw fileError('empty_file', 'Tệp rỗng.', 'The file is empty.');
  const format: FileFormat | undefined = formatForFile(request.fileName);
  if (!format?.read) {
    throw fileError('unsupported_format', 'Định dạng không hỗ trợ: hãy dùng GeoJSON, KML, KMZ, Shapefile (.zip), CSV hoặc Excel (phiếu thu thập).', 'Unsupported format: use GeoJSON, KML, KMZ, a zipped Shapefile, CSV or Excel (a collection form).');
  }
  // Parsed in a worker thread with a bounded heap, never on the request thread; the file's
  // bytes go with it (nothing here reads them again).
  const read = await uploadReader.read(format, bytes, signal, { handOver: true });
  if (!read.features.length) throw fileError('no_features', 'Tệp không có đối tượng nào.', 'The file holds no features.');
  const ignored = new Set<string>();
  const attributesOnly = read.attributesOnly === true;
  const plans: Plan[] = read.features.map((feature) => ({
    row: { ref: feature.ref, id: feature.id ?? null, action: null, errors: [], geometry: null },
    ...mapProperties(layer, feature.properties, read.textValues, ignored),
    current: null,
    ret: returnColumns(feature.properties),
  }));
  // Phase 2 runs statement by statement, outside a transaction: on the embedded database
  // other requests are served between them.
  const q = cancellable(db, signal);
  if (read.sourceCrs) await checkCrs(db, read.sourceCrs, signal);
  await toWgs84(q, plans, read.features, read.sourceCrs);
  await checkIds(q, layer, plans);
  const candidates = plans.filter((p) => !p.row.errors.length);
  for (const [i, plan] of candidates.entries()) {
    checkValues(layer, plan, attributesOnly);
    // Checking 10,000 detailed outlines in Node takes about a second: the request thread
    // serves others between slices of it.
    if (i % NODE_SLICE === NODE_SLICE - 1) await yieldToOthers();
  }
  // Sources as validated (text, no control characters), all of the file's in one statement.
  const known = await knownSources(q, [...new Set(candidates.flatMap((p) => (Array.isArray(p.values!.sources) ? p.values!.sources : [])))]);
  for (const plan of candidates) plan.row.errors.push(...sourceErrors(plan.values!.sources, known));
  await checkAllGeometries(q, layer, candidates, request.repair);
  await assignIds(q, layer, plans);
  for (const plan of plans) decide(plan, attributesOnly, request.fileName);

  const report: ImportReport = {
    layer: layer.id,
    format: format.id,
    committed: false,
    counts: { create: 0, update: 0, unchanged: 0, invalid: 0 },
    ignoredProperties: [...ignored].sort(),
    warnings: read.warnings,
    rows: plans.map((p) => p.row),
  };
  const count = () => {
    report.counts = { create: 0, update: 0, unchanged: 0, invalid: 0 };
    for (const { row } of plans) {
      if (row.errors.length) report.counts.invalid++;
      else report.counts[row.action!]++;
    }
  };
  count();
  // Nothing is written while any feature is refused: the report says what to fix.
  if (report.counts.invalid) return report;
  const writes = plans.filter((p) => p.change);
  if (!writes.length) return report;
  try {
    await db.transaction(async (tx) => {
      await write(tx, layer, writes, request);
      count();
      if (!request.commit || report.counts.invalid) throw new Rollback();
    }, { signal });
  } catch (error) {
    if (error instanceof Rollback) return report;
    throw error;
  }
  report.committed = true;
  return report;
}

/**
 * Whether PROJ understands the file's coordinate system. In PGlite (PostGIS in WASM), PROJ
 * given a malformed WKT fails without raising an error and leaves an entry on PostgreSQL's
 * error stack; a few of those and the next error anywhere is a PANIC. An error raised and
 * rolled back inside a savepoint clears that stack, so the check ends with one, on both
 * backends alike (on PostgreSQL it costs a statement).
 */
async function checkCrs(db: Database, crs: string, signal: AbortSignal | undefined) {
  const point = await db.transaction(async (tx) => {
    await tx.query('SAVEPOINT crs_check');
    const refused = (error: unknown) => {
      if (!isRefusal(error)) throw error;
      return [];
    };
    const [row] = await tx.query<{ point: string | null }>(CRS_CHECK_SQL, [crs]).catch(refused);
    await tx.query(CLEAR_ERROR_STACK_SQL).catch(refused);
    await tx.query('ROLLBACK TO SAVEPOINT crs_check');
    return row?.point ?? null;
  }, { signal });
  if (!point || /NaN|inf/i.test(point)) {
    throw fileError('unknown_crs', `Không nhận ra hệ tọa độ trong tệp .prj: ${crs.slice(0, 120)}`, `The coordinate system in the .prj is not recognised: ${crs.slice(0, 120)}`);
  }
}

/**
 * WKT (CSV) and coordinates in another CRS (a shapefile's .prj) become GeoJSON in WGS 84,
 * by PostGIS, a batch per statement; a batch PostGIS refuses is redone one by one so the
 * refusal lands on its feature.
 */
async function toWgs84(q: Queryable, plans: Plan[], features: UploadedFeature[], sourceCrs: string | undefined): Promise<void> {
  const converted: { plan: Plan; input: Record<string, unknown> }[] = [];
  plans.forEach((plan, i) => {
    const geometry = features[i]!.geometry;
    if (geometry === null) return;
    if ('wkt' in geometry) converted.push({ plan, input: { wkt: geometry.wkt } });
    else if (sourceCrs) converted.push({ plan, input: { geojson: geometry.geojson } });
    else plan.row.geometry = geometry.geojson;
  });
  const convert = async (batch: typeof converted) => {
    const rows = await q.query<{ ord: number; geojson: string }>(TO_WGS84_SQL, [JSON.stringify(batch.map((c, ord) => ({ ord, ...c.input }))), sourceCrs ?? null]);
    for (const r of rows) batch[r.ord]!.plan.row.geometry = r.geojson;
  };
  for (let i = 0; i < converted.length; i += BATCH) {
    const batch = converted.slice(i, i + BATCH);
    try {
      await convert(batch);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      for (const one of batch) {
        await convert([one]).catch((e: Error) => {
          if (!isRefusal(e)) throw e;
          one.plan.row.errors = [fieldError('geometry', 'geometry_malformed', { reason: e.message })];
        });
      }
    }
  }
}

/** Ids the file names: each once, of a feature of this layer if it exists, unchanged since an export. */
async function checkIds(q: Queryable, layer: LayerSpec, plans: Plan[]): Promise<void> {
  const named = plans.filter((p) => p.row.id !== null && !p.row.errors.length);
  const seen = new Set<string>();
  for (const plan of named) {
    const id = plan.row.id!;
    if (seen.has(id)) plan.row.errors = [fieldError('id', 'id_repeated', { id })];
    seen.add(id);
  }
  const rows = new Map<string, Record<string, unknown>>();
  const ids = [...seen];
  for (let i = 0; i < ids.length; i += BATCH * 4) {
    for (const [id, row] of await snapshots(q, layer.table, ids.slice(i, i + BATCH * 4))) rows.set(id, row);
  }
  for (const plan of named) {
    if (plan.row.errors.length) continue;
    const current = rows.get(plan.row.id!) ?? null;
    if (current && !inLayer(layer, current)) plan.row.errors = [fieldError('id', 'id_taken', { id: plan.row.id! })];
    else if (current && plan.version !== undefined && plan.version !== current.version) {
      plan.row.errors = [fieldError('version', 'changed_since_export', { actual: current.version as number, expected: plan.version })];
    } else plan.current = current;
  }
}

/** Values, the layer's filter, required fields, land figures and the geometry's shape: all in Node. */
function checkValues(layer: LayerSpec, plan: Plan, attributesOnly: boolean): void {
  const { values, errors } = validateValues(layer, plan.properties, plan.current);
  plan.values = values;
  // A spreadsheet changes features that exist: it creates none, and holds no geometry.
  if (attributesOnly) {
    plan.row.errors = plan.current ? errors : [fieldError('id', 'id_unknown', { id: plan.row.id ?? '' })];
    return;
  }
  if (plan.current === null && plan.row.id !== null && !isFeatureId(plan.row.id)) errors.unshift(fieldError('id', 'id_format'));
  // Parsed for this check only: the text is what is kept.
  const shape = checkGeometryShape(layer, plan.row.geometry === null ? null : JSON.parse(plan.row.geometry));
  if ('error' in shape) errors.push(shape.error);
  plan.row.errors = errors;
  plan.wellFormed = !('error' in shape);
}

/** Geometries that passed the shape check, checked by PostGIS a batch per statement. */
async function checkAllGeometries(q: Queryable, layer: LayerSpec, plans: Plan[], repair: boolean): Promise<void> {
  const pending = plans.filter((p) => p.wellFormed);
  for (let i = 0; i < pending.length; i += BATCH) {
    const batch = pending.slice(i, i + BATCH);
    const results = await checkGeometries(q, layer, batch.map((p) => ({ geojson: p.row.geometry!, compare: p.current !== null })), repair);
    batch.forEach((plan, k) => {
      plan.checked = results[k]!;
      plan.row.errors.push(...results[k]!.errors);
    });
  }
}

/** Ids for new features the file does not name: from the name, unique in the table and the file. */
async function assignIds(q: Queryable, layer: LayerSpec, plans: Plan[]): Promise<void> {
  const unnamed = plans.filter((p) => p.row.id === null && !p.row.errors.length);
  if (!unnamed.length) return;
  const bases = unnamed.map((p) => idBase(layer, String(p.values!.name_vi ?? '')));
  const taken = await idsTaken(q, layer, bases);
  for (const p of plans) if (p.row.id !== null) taken.add(p.row.id);
  unnamed.forEach((plan, i) => {
    plan.row.id = uniqueId(bases[i]!, taken);
  });
}

/**
 * Create, update, or nothing to do: an update that would store what is stored is
 * "unchanged". An update lists what it changes; a returned form's row gets its rules.
 */
function decide(plan: Plan, attributesOnly: boolean, fileName: string): void {
  const { row, current } = plan;
  if (row.errors.length) return;
  const geometry = attributesOnly ? undefined : plan.checked!.geometry!;
  if (!current) {
    plan.change = { action: 'create', id: row.id!, values: plan.values!, geometry: geometry! };
    row.action = 'create';
    return;
  }
  let values = plan.values!;
  const changed = () => Object.keys(values).filter((k) => !sameValue(values[k], current[k]));
  const geometryChanged = geometry !== undefined && !sameValue(plan.checked!.stored, current.geometry);
  let note: string | undefined;
  if (plan.ret && changed().length) {
    const returned = returnedChange(current, values, plan.ret, changed(), fileName);
    if (returned.errors.length) {
      row.errors = returned.errors;
      return;
    }
    ({ values, note } = returned);
    plan.source = returned.source;
  }
  const fields = changed();
  if (!fields.length && !geometryChanged) {
    row.action = 'unchanged';
    return;
  }
  row.changes = fields.map((field) => ({ field, from: current[field] ?? null, to: values[field] ?? null }));
  // Written at the version read in phase 2: an edit made meanwhile is not overwritten.
  plan.change = { action: 'update', id: row.id!, values, ...(geometryChanged ? { geometry } : {}), expectedVersion: current.version as number, ...(note ? { note } : {}) };
  row.action = 'update';
}

/** Values as stored (JSON of the row): numbers, text, lists in order, objects whatever their key order. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/**
 * Phase 3, in the caller's transaction: everything in one go; if the database refuses,
 * back to where it was and one feature at a time, so each refusal is reported on its row.
 */
async function write(tx: Queryable, layer: LayerSpec, plans: Plan[], request: ImportRequest): Promise<void> {
  const note = `import ${request.fileName}`;
  // The documents of a returned form become sources before the zones cite them.
  const sources = new Map(plans.filter((p) => p.source).map((p) => [p.source!.key, p.source!]));
  for (const s of sources.values()) await tx.query(RETURN_SOURCE_SQL, [s.key, s.title, s.publisher, s.published, s.licence, s.note]);
  await tx.query('SAVEPOINT import_all');
  try {
    await writeChanges(tx, layer, plans.map((p) => p.change!), request.actor, note);
    await tx.query('RELEASE SAVEPOINT import_all');
    return;
  } catch (error) {
    if (!isRefusal(error) && !(error instanceof ValidationFailed) && !(error instanceof VersionConflictError)) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT import_all');
  }
  for (const plan of plans) {
    await tx.query('SAVEPOINT import_feature');
    try {
      await writeChanges(tx, layer, [plan.change!], request.actor, note);
      await tx.query('RELEASE SAVEPOINT import_feature');
    } catch (error) {
      if (!isRefusal(error) && !(error instanceof ValidationFailed) && !(error instanceof VersionConflictError)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT import_feature');
      plan.row.errors = rowErrors(error);
      plan.row.action = null;
    }
  }
}

function rowErrors(error: unknown): FieldError[] {
  if (error instanceof ValidationFailed) return error.fields;
  if (error instanceof VersionConflictError) return [fieldError('version', 'changed_since_export', { actual: error.actual, expected: error.expected })];
  return [fieldError('feature', 'rejected', { reason: (error as Error).message })];
}

/** The database as a Queryable whose every statement stops when the signal aborts. */
const cancellable = (db: Database, signal: AbortSignal | undefined): Queryable => ({
  query: (sql, params, options) => db.query(sql, params, { signal: options?.signal ?? signal }),
  exec: (sql) => db.exec(sql),
});

/**
 * The report as JSON, each row's geometry written as the GeoJSON text it is held as (a
 * 50 MB file's geometries are never turned into objects on the request thread).
 */
export function reportJson(report: ImportReport): string {
  const { rows, ...head } = report;
  const row = ({ geometry, ...rest }: ImportRow) => `${JSON.stringify(rest).slice(0, -1)},"geometry":${geometry ?? 'null'}}`;
  return `${JSON.stringify(head).slice(0, -1)},"rows":[${rows.map(row).join(',')}]}`;
}

/** A term given by its title (as a template's drop-down writes it), in either language, read as its id. */
function vocabularyId(field: Field, text: string): string {
  if (!field.vocabulary) return text;
  const wanted = text.trim().toLocaleLowerCase('vi');
  return vocabularies[field.vocabulary].find((t) => t.title.vi.toLocaleLowerCase('vi') === wanted || t.title.en.toLocaleLowerCase('en') === wanted)?.id ?? text;
}

/**
 * File properties → field values: names matched exactly or as dBASE's 10-character
 * cut, text read by field type; `version` (from an export) guards against overwriting
 * a newer edit; names that are no field are left out and listed.
 */
function mapProperties(layer: LayerSpec, raw: Record<string, unknown>, textValues: boolean, ignored: Set<string>) {
  const fields = [...layer.table.fields, HIDDEN_FIELDS];
  const columns = dbfNames(['id', ...fields.map((f) => f.name)]);
  const byName = new Map<string, Field>();
  for (const f of fields) byName.set(f.name, f).set(columns.get(f.name)!, f);
  const properties: Record<string, unknown> = {};
  let version: number | undefined;
  for (const [key, value] of Object.entries(raw)) {
    // A template's columns for the reader, and its return columns, are no fields.
    if (key === 'id' || key.startsWith(INFORMATION_PREFIX) || isReturnColumn(key)) continue;
    const field = byName.get(key);
    if (!field) {
      ignored.add(key);
      continue;
    }
    const typed = textValues && typeof value === 'string' ? fromText(field, vocabularyId(field, value)) : value;
    if (field.name === 'version') version = typeof typed === 'number' && Number.isInteger(typed) ? typed : undefined;
    properties[field.name] = typed;
  }
  return { properties, version };
}
