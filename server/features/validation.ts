// Validation of a feature's values before any write, built from the table's field
// specs (types, vocabularies, units, required) plus the rules between fields
// (occupied ≤ leasable ≤ area) and of the layer (a park stays a park). Every problem
// is reported, per field, in Vietnamese and English.
import type { Queryable } from '../db/adapter.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { Field, TableSpec } from '../layers/tables.ts';
import { vocabularies } from '../layers/vocabulary.ts';
import { HIDDEN_FIELDS, type FeatureValues, type Geometry } from './changes.ts';
import { checkGeometry } from './geometry.ts';
import { fieldError, kindNames, type FieldError } from './messages.ts';
import { KNOWN_SOURCES_SQL } from './queries.ts';

/** What a feature is found and drawn by: never hidden per feature (a check in migration 003 agrees). */
export const IDENTITY_FIELDS = ['name_vi', 'name_en', 'status', 'kind', 'gate_type', 'number', 'plan_level'];
export const INTERNAL_FIELDS = HIDDEN_FIELDS.name;

// Quantities that are zero only when unknown, which is stored as null (database checks agree).
const POSITIVE = new Set(['area_ha', 'length_km', 'total_investment_bn_vnd']);
// Quantities are numeric(p, 2) columns — numeric(12, 1) for the investment — which hold
// at least up to a million (numeric(8, 2)); more is no quantity of one province anyway.
// A value is rounded as its column would round it, so "positive" is checked on what is
// stored (0.001 ha would be stored as 0).
const DECIMALS: Record<string, number> = { total_investment_bn_vnd: 1 };
const LARGEST_QUANTITY = 999_999;
const MAX_TEXT = 10_000;
const MAX_NAME = 300;
const EARLIEST_DATE = '1900-01-01';
const LATEST_PLANNED_DATE = '2100-12-31';
// Dates that record something already known: they cannot lie in the future.
const PAST_DATES = new Set(['status_date', 'source_date']);
// Control characters other than tab and line breaks, and the non-characters U+FFFE/FFFF:
// PostgreSQL text cannot hold NUL, and XML (KML exports) none of them.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export class ValidationFailed extends Error {
  constructor(readonly fields: FieldError[]) {
    super(`Validation failed: ${fields.map((f) => `${f.field} (${f.code})`).join(', ')}`);
  }
}

export type EditInput = { properties?: Record<string, unknown>; geometry?: unknown; repair?: boolean };
export type ValidatedEdit = { values: FeatureValues; geometry?: string; repaired: boolean };

/**
 * Checks a create (current = null) or an update (current = the row as stored) and
 * returns the values to write. Generated fields (version, occupancy…) and `id` in the
 * properties are ignored: exports carry them and must import back unchanged.
 */
export async function validateEdit(tx: Queryable, layer: LayerSpec, input: EditInput, current: Record<string, unknown> | null): Promise<ValidatedEdit> {
  const { values, errors } = validateValues(layer, input.properties ?? {}, current);
  errors.push(...sourceErrors(values.sources, await knownSources(tx, values.sources)));
  let geometry: string | undefined;
  let repaired = false;
  if (current === null || input.geometry !== undefined) {
    const check = await checkGeometry(tx, layer, input.geometry, input.repair === true);
    errors.push(...check.errors);
    geometry = check.geometry;
    repaired = check.repaired;
  }
  if (errors.length) throw new ValidationFailed(errors);
  return { values, geometry, repaired };
}

/**
 * The checks of validateEdit that need no database: every field's type, vocabulary and
 * range, the layer's filter, required fields and the order of land figures, on the
 * values the feature will have after the write. Imports run it for every feature of a
 * file before asking the database anything.
 */
export function validateValues(layer: LayerSpec, properties: Record<string, unknown>, current: Record<string, unknown> | null): { values: FeatureValues; errors: FieldError[] } {
  const table = layer.table;
  const errors: FieldError[] = [];
  const values: FeatureValues = {};
  const fields = new Map(table.fields.map((f) => [f.name, f]));
  for (const [name, raw] of Object.entries(properties)) {
    const field = fields.get(name);
    if (name === 'id' || field?.generated) continue;
    if (name === INTERNAL_FIELDS) {
      const checked = checkHiddenFields(table, raw);
      if ('error' in checked) errors.push(checked.error);
      else values[name] = checked.value;
      continue;
    }
    if (!field) {
      errors.push(fieldError(name, 'unknown_field', { field: name }));
      continue;
    }
    const checked = checkValue(field, raw);
    if ('error' in checked) errors.push(checked.error);
    else values[name] = checked.value;
  }

  // The layer's constant filter: a feature created in "industrial parks" is a park.
  if (layer.where) {
    const { column, values: allowed } = layer.where;
    if (current === null && values[column] === undefined && allowed.length === 1) values[column] = allowed[0];
    const value = values[column] ?? current?.[column];
    if (value !== undefined && value !== null && !allowed.includes(String(value))) {
      errors.push(fieldError(column, 'layer_mismatch', { values: allowed.join(', ') }));
    }
  }

  const merged = { ...(current ?? {}), ...values };
  for (const field of table.fields) {
    if (!field.required || errors.some((e) => e.field === field.name)) continue;
    const v = merged[field.name];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) errors.push(fieldError(field.name, 'required'));
  }
  errors.push(...landOrder(merged));
  return { values, errors };
}

type Checked = { value: unknown } | { error: FieldError };

export function checkValue(field: Field, raw: unknown): Checked {
  const name = field.name;
  const typeError = (): Checked => {
    const kind = kindNames[field.type] ?? { vi: field.type, en: field.type };
    return { error: fieldError(name, 'type', { expected: kind.vi, expectedEn: kind.en }) };
  };
  // Lists (text[], legal basis) are stored NOT NULL: a cleared list is empty, not unknown.
  const list = field.type === 'text[]' || field.type === 'json';
  if (raw === null || raw === undefined) return { value: list ? [] : null };
  if (typeof raw === 'string' && raw.trim() === '' && !list) return { value: null };
  switch (field.type) {
    case 'text': {
      if (typeof raw !== 'string') return typeError();
      if (CONTROL.test(raw)) return { error: fieldError(name, 'invalid_character') };
      const text = raw.trim();
      const max = name.startsWith('name_') ? MAX_NAME : MAX_TEXT;
      if (text.length > max) return { error: fieldError(name, 'too_long', { max }) };
      if (field.vocabulary) {
        const ids = vocabularies[field.vocabulary].map((t) => t.id as string);
        if (!ids.includes(text)) return { error: fieldError(name, 'vocabulary', { values: ids.join(', ') }) };
      }
      return { value: text };
    }
    case 'number':
    case 'integer': {
      const given = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
      if (!Number.isFinite(given) || (field.type === 'integer' && !Number.isInteger(given))) return typeError();
      const scale = 10 ** (DECIMALS[name] ?? 2);
      const n = field.type === 'integer' ? given : Math.round(given * scale) / scale;
      if (field.type === 'number' && Math.abs(n) > LARGEST_QUANTITY) return { error: fieldError(name, 'range', { min: 0, max: LARGEST_QUANTITY }) };
      if (name.endsWith('_year') && (n < 2000 || n > 2100)) return { error: fieldError(name, 'range', { min: 2000, max: 2100 }) };
      if (POSITIVE.has(name) && n <= 0) return { error: fieldError(name, 'positive') };
      if (n < 0) return { error: fieldError(name, 'not_negative') };
      return { value: n };
    }
    case 'date':
      return checkDate(name, raw, PAST_DATES.has(name));
    case 'text[]': {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) return typeError();
      if (raw.some((v) => CONTROL.test(v as string))) return { error: fieldError(name, 'invalid_character') };
      const list = (raw as string[]).map((v) => v.trim()).filter(Boolean);
      if (list.some((v) => v.length > MAX_NAME)) return { error: fieldError(name, 'too_long', { max: MAX_NAME }) };
      return { value: list };
    }
    case 'json':
      return checkLegalBasis(name, raw);
    case 'datetime':
      return typeError(); // only generated fields are datetimes
  }
}

function checkDate(name: string, raw: unknown, past: boolean): Checked {
  if (typeof raw !== 'string' || !isCalendarDate(raw.trim())) return { error: fieldError(name, 'date_format') };
  const date = raw.trim();
  // Tomorrow in UTC is today somewhere in Vietnam (UTC+7) for part of the day.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  if (past && date > tomorrow) return { error: fieldError(name, 'date_future') };
  const latest = past ? tomorrow : LATEST_PLANNED_DATE;
  if (date < EARLIEST_DATE || date > latest) return { error: fieldError(name, 'date_range', { min: EARLIEST_DATE, max: latest }) };
  return { value: date };
}

export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

const LEGAL_KEYS = ['type', 'number', 'date', 'issuer', 'title'];

function checkLegalBasis(name: string, raw: unknown): Checked {
  const bad = { error: fieldError(name, 'legal_basis') };
  if (!Array.isArray(raw)) return bad;
  const out = [];
  for (const entry of raw) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return bad;
    const e = entry as Record<string, unknown>;
    if (Object.keys(e).some((k) => !LEGAL_KEYS.includes(k))) return bad;
    const text = (k: string) => (typeof e[k] === 'string' ? (e[k] as string).trim() : '');
    if (!text('type') || !text('number') || !text('title')) return bad;
    if (e.issuer !== undefined && e.issuer !== null && typeof e.issuer !== 'string') return bad;
    const date = e.date === undefined || e.date === null || e.date === '' ? null : e.date;
    if (date !== null && 'error' in checkDate(name, date, true)) return bad;
    out.push({ type: text('type'), number: text('number'), date, issuer: text('issuer') || null, title: text('title') });
  }
  return { value: out };
}

function checkHiddenFields(table: TableSpec, raw: unknown): { value: string[] } | { error: FieldError } {
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) {
    return { error: fieldError(INTERNAL_FIELDS, 'type', { expected: kindNames['text[]']!.vi, expectedEn: kindNames['text[]']!.en }) };
  }
  const hideable = table.fields.filter((f) => f.visibility === 'public' && !f.generated && !IDENTITY_FIELDS.includes(f.name)).map((f) => f.name);
  const wrong = (raw as string[]).find((n) => !hideable.includes(n));
  if (wrong !== undefined) return { error: fieldError(INTERNAL_FIELDS, 'not_hideable', { field: wrong }) };
  return { value: [...new Set(raw as string[])] };
}

/** occupied ≤ leasable ≤ area, on the values the feature will have after the write. */
function landOrder(v: Record<string, unknown>): FieldError[] {
  const num = (k: string) => (typeof v[k] === 'number' ? (v[k] as number) : null);
  const [area, leasable, occupied] = [num('area_ha'), num('leasable_ha'), num('occupied_ha')];
  const errors: FieldError[] = [];
  if (!('leasable_ha' in v)) return errors;
  if (area !== null && leasable !== null && leasable > area) errors.push(fieldError('leasable_ha', 'leasable_over_area', { leasable, area }));
  if (leasable !== null && occupied !== null && occupied > leasable) errors.push(fieldError('occupied_ha', 'occupied_over_leasable', { occupied, leasable }));
  if (leasable === null && occupied !== null) errors.push(fieldError('occupied_ha', 'occupied_without_leasable'));
  return errors;
}

/** Which of the source keys given (a feature's `sources`, or all of a file's) are in the list of sources. */
export async function knownSources(tx: Queryable, sources: unknown): Promise<Set<string>> {
  if (!Array.isArray(sources) || !sources.length) return new Set();
  const rows = await tx.query<{ key: string }>(KNOWN_SOURCES_SQL, [sources]);
  return new Set(rows.map((r) => r.key));
}

export function sourceErrors(sources: unknown, known: ReadonlySet<string>): FieldError[] {
  if (!Array.isArray(sources)) return [];
  const missing = (sources as string[]).filter((k) => !known.has(k));
  return missing.length ? [fieldError('sources', 'unknown_source', { keys: missing.join(', ') })] : [];
}
