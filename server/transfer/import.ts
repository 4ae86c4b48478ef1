// Importing a file into a layer: read (formats/), reproject and convert geometry
// (PostGIS), then validate and write every feature through the same path as a single
// edit — inside one transaction. A preview runs exactly the same and rolls back; a
// commit keeps everything only if every feature passed.
import type { Database, Queryable } from '../db/adapter.ts';
import { HIDDEN_FIELDS, snapshot, VersionConflictError } from '../features/changes.ts';
import { createFeature, inLayer, updateFeature } from '../features/edit.ts';
import { fieldError, type FieldError } from '../features/messages.ts';
import { ValidationFailed } from '../features/validation.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { Field } from '../layers/tables.ts';
import type { Title } from '../layers/vocabulary.ts';
import { isWkt } from './formats/csv.ts';
import { fileError, fromText, type FileFormat, type ImportedFeature } from './formats/format.ts';
import { formatForFile } from './formats/index.ts';
import { dbfNames } from './formats/shapefile.ts';
import { uploadReader } from './read-upload.ts';
import { CRS_CHECK_SQL, NO_OP_CHANGE_SQL, REPROJECT_SQL, WKT_SQL } from './queries.ts';

export type ImportRow = {
  ref: string;
  id: string | null;
  action: 'create' | 'update' | 'unchanged' | null;
  errors: FieldError[];
  /** The geometry as it will be stored (WGS 84), for the preview map. */
  geometry: unknown;
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
  constructor(readonly report: ImportReport) {
    super('import rolled back');
  }
}

// signal: aborted when the requester has gone; the file's parse stops at once.
export type ImportRequest = { layer: LayerSpec; fileName: string; bytes: Uint8Array; actor: string; repair: boolean; commit: boolean; signal?: AbortSignal };

export async function runImport(db: Database, request: ImportRequest): Promise<ImportReport> {
  const { layer, bytes } = request;
  if (!bytes.length) throw fileError('empty_file', 'Tệp rỗng.', 'The file is empty.');
  const format: FileFormat | undefined = formatForFile(request.fileName);
  if (!format?.read) {
    throw fileError('unsupported_format', 'Định dạng không hỗ trợ: hãy dùng GeoJSON, KML, KMZ, Shapefile (.zip) hoặc CSV.', 'Unsupported format: use GeoJSON, KML, KMZ, a zipped Shapefile or CSV.');
  }
  // Parsed in a worker thread with a bounded heap, never on the request thread.
  const read = await uploadReader.read(format, bytes, request.signal);
  if (!read.features.length) throw fileError('no_features', 'Tệp không có đối tượng nào.', 'The file holds no features.');
  const ignored = new Set<string>();
  const report: ImportReport = {
    layer: layer.id,
    format: format.id,
    committed: false,
    counts: { create: 0, update: 0, unchanged: 0, invalid: 0 },
    ignoredProperties: [],
    warnings: read.warnings,
    rows: [],
  };
  try {
    await db.transaction(async (tx) => {
      if (read.sourceCrs) await checkCrs(tx, read.sourceCrs);
      for (const feature of read.features) {
        const row = await importFeature(tx, layer, feature, read, request, ignored);
        report.rows.push(row);
        if (row.errors.length) report.counts.invalid++;
        else report.counts[row.action!]++;
      }
      report.ignoredProperties = [...ignored].sort();
      if (!request.commit || report.counts.invalid) throw new Rollback(report);
    });
  } catch (error) {
    if (error instanceof Rollback) return error.report;
    throw error;
  }
  report.committed = true;
  return report;
}

async function checkCrs(tx: Queryable, crs: string) {
  await tx.query('SAVEPOINT crs_check');
  try {
    const [row] = await tx.query<{ point: string | null }>(CRS_CHECK_SQL, [crs]);
    if (!row?.point || /NaN|inf/i.test(row.point)) throw new Error('no result');
    await tx.query('RELEASE SAVEPOINT crs_check');
  } catch {
    await tx.query('ROLLBACK TO SAVEPOINT crs_check');
    throw fileError('unknown_crs', `Không nhận ra hệ tọa độ trong tệp .prj: ${crs.slice(0, 120)}`, `The coordinate system in the .prj is not recognised: ${crs.slice(0, 120)}`);
  }
}

async function importFeature(
  tx: Queryable,
  layer: LayerSpec,
  feature: ImportedFeature,
  read: { sourceCrs?: string; textValues: boolean },
  request: ImportRequest,
  ignored: Set<string>,
): Promise<ImportRow> {
  const row: ImportRow = { ref: feature.ref, id: feature.id ?? null, action: null, errors: [], geometry: null };
  const { properties, version } = mapProperties(layer, feature.properties, read.textValues, ignored);
  // Each feature in a savepoint: one refused by the database leaves the others' checks intact.
  await tx.query('SAVEPOINT import_feature');
  try {
    row.geometry = await wgs84Geometry(tx, feature.geometry, read.sourceCrs);
    const existing = feature.id ? await snapshot(tx, layer.table, feature.id) : null;
    if (existing && !inLayer(layer, existing)) throw new ValidationFailed([fieldError('id', 'id_taken', { id: feature.id! })]);
    const input = { properties, geometry: row.geometry, repair: request.repair };
    if (existing) {
      const result = await updateFeature(tx, layer, feature.id!, input, version, request.actor, `import ${request.fileName}`);
      const [change] = await tx.query<{ same: boolean }>(NO_OP_CHANGE_SQL, [result.historyId]);
      row.action = change?.same ? 'unchanged' : 'update';
      if (row.action === 'unchanged') {
        await tx.query('ROLLBACK TO SAVEPOINT import_feature');
        return row;
      }
    } else {
      const result = await createFeature(tx, layer, { ...input, ...(feature.id ? { id: feature.id } : {}) }, request.actor, `import ${request.fileName}`);
      row.id = result.id;
      row.action = 'create';
    }
    await tx.query('RELEASE SAVEPOINT import_feature');
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT import_feature');
    row.errors = rowErrors(error);
  }
  return row;
}

function rowErrors(error: unknown): FieldError[] {
  if (error instanceof ValidationFailed) return error.fields;
  if (error instanceof VersionConflictError) return [fieldError('version', 'changed_since_export', { actual: error.actual, expected: error.expected })];
  return [fieldError('feature', 'rejected', { reason: (error as Error).message })];
}

/** Geometry as GeoJSON in WGS 84: WKT parsed and foreign coordinates reprojected by PostGIS. */
async function wgs84Geometry(tx: Queryable, geometry: unknown, sourceCrs: string | undefined): Promise<unknown> {
  if (geometry === null || geometry === undefined) return null;
  // Inside the feature's savepoint: a refusal here is this feature's problem only.
  const convert = async (sql: string, params: unknown[]) => {
    try {
      const [row] = await tx.query<{ geojson: string }>(sql, params);
      return JSON.parse(row!.geojson) as unknown;
    } catch (error) {
      throw new ValidationFailed([fieldError('geometry', 'geometry_malformed', { reason: (error as Error).message })]);
    }
  };
  if (isWkt(geometry)) return convert(WKT_SQL, [geometry.wkt]);
  if (!sourceCrs) return geometry;
  return convert(REPROJECT_SQL, [JSON.stringify(geometry), sourceCrs]);
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
    if (key === 'id') continue;
    const field = byName.get(key);
    if (!field) {
      ignored.add(key);
      continue;
    }
    const typed = textValues && typeof value === 'string' ? fromText(field, value) : value;
    if (field.name === 'version') version = typeof typed === 'number' && Number.isInteger(typed) ? typed : undefined;
    properties[field.name] = typed;
  }
  return { properties, version };
}
