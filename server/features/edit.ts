// Edits as the API and imports make them: validate, then write through applyChange,
// in one transaction with the row locked, so what was validated is what is written.
import type { Database, Queryable } from '../db/adapter.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fold } from '../search/fold.ts';
import { applyChange, applyChanges, FeatureNotFoundError, snapshot, type Change, type ChangeResult, type FeatureValues, type Geometry } from './changes.ts';
import { fieldError } from './messages.ts';
import { HISTORY_ENTRY_SQL, IDS_TAKEN_SQL } from './queries.ts';
import { validateEdit, ValidationFailed, type EditInput } from './validation.ts';

export type EditResult = ChangeResult & { repaired: boolean };

// Fields of a snapshot that are not written back: the database sets them.
const SYSTEM_KEYS = new Set(['id', 'geometry', 'version', 'created_at', 'updated_at']);

/** The row, locked, if it belongs to this layer (a park is not found among clusters). */
export async function lockedFeature(tx: Queryable, layer: LayerSpec, id: string): Promise<Record<string, unknown> | null> {
  const row = await snapshot(tx, layer.table, id, true);
  if (!row || !inLayer(layer, row)) return null;
  return row;
}

export const inLayer = (layer: LayerSpec, row: Record<string, unknown>) =>
  !layer.where || layer.where.values.includes(String(row[layer.where.column]));

export async function createFeature(tx: Queryable, layer: LayerSpec, input: EditInput & { id?: string }, actor: string, note: string | null = null): Promise<EditResult> {
  const edit = await validateEdit(tx, layer, input, null);
  const id = await newFeatureId(tx, layer, input.id, String(edit.values.name_vi ?? ''));
  const result = await writeChange(tx, layer, { action: 'create', id, values: edit.values, geometry: edit.geometry! }, actor, note);
  return { ...result, repaired: edit.repaired };
}

export async function updateFeature(tx: Queryable, layer: LayerSpec, id: string, input: EditInput, expectedVersion: number | undefined, actor: string, note: string | null = null): Promise<EditResult> {
  const current = await lockedFeature(tx, layer, id);
  if (!current) throw new FeatureNotFoundError(`Layer '${layer.id}' has no feature '${id}'.`);
  const edit = await validateEdit(tx, layer, input, current);
  const change: Change = { action: 'update', id, values: edit.values, expectedVersion, ...(edit.geometry ? { geometry: edit.geometry } : {}) };
  return { ...(await writeChange(tx, layer, change, actor, note)), repaired: edit.repaired };
}

export async function deleteFeature(tx: Queryable, layer: LayerSpec, id: string, expectedVersion: number, actor: string): Promise<ChangeResult> {
  if (!(await lockedFeature(tx, layer, id))) throw new FeatureNotFoundError(`Layer '${layer.id}' has no feature '${id}'.`);
  return applyChange(tx, layer.table, { action: 'delete', id, expectedVersion }, actor);
}

/**
 * Undoes one recorded change as a new change: the feature goes back to how that entry
 * found it (deleted again if the entry created it, re-created if it deleted it).
 */
export async function revertChange(tx: Queryable, layer: LayerSpec, id: string, historyId: number, expectedVersion: number | undefined, actor: string): Promise<ChangeResult> {
  const [entry] = await tx.query<{ before: Record<string, unknown> | null; action: string }>(HISTORY_ENTRY_SQL, [layer.table.name, id, historyId]);
  if (!entry) throw new FeatureNotFoundError(`Feature '${id}' has no history entry ${historyId}.`);
  const current = await lockedFeature(tx, layer, id);
  const note = `revert of change ${historyId}`;
  if (!entry.before) {
    if (!current) throw new FeatureNotFoundError(`Feature '${id}' is already deleted.`);
    return applyChange(tx, layer.table, { action: 'delete', id, expectedVersion }, actor, note);
  }
  const values: FeatureValues = {};
  const generated = new Set(layer.table.fields.filter((f) => f.generated).map((f) => f.name));
  for (const [key, value] of Object.entries(entry.before)) if (!SYSTEM_KEYS.has(key) && !generated.has(key)) values[key] = value;
  const geometry = entry.before.geometry as Geometry;
  const change: Change = current
    ? { action: 'update', id, values, geometry, expectedVersion }
    : { action: 'create', id, values, geometry };
  return writeChange(tx, layer, change, actor, note);
}

/** An id from the name (folded, hyphenated), made unique with -2, -3… */
async function newFeatureId(tx: Queryable, layer: LayerSpec, given: string | undefined, name: string): Promise<string> {
  if (given !== undefined) {
    if (!isFeatureId(given)) throw new ValidationFailed([fieldError('id', 'id_format')]);
    if ((await idsTaken(tx, layer, [given])).has(given)) throw new ValidationFailed([fieldError('id', 'id_taken', { id: given })]);
    return given;
  }
  const base = idBase(layer, name);
  return uniqueId(base, await idsTaken(tx, layer, [base]));
}

export const isFeatureId = (id: string) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) && id.length <= 80;

/** What an id made from a name starts with: the name folded (no diacritics), hyphenated. */
export const idBase = (layer: LayerSpec, name: string) => fold(name).replace(/ /g, '-').slice(0, 70).replace(/-+$/, '') || layer.id.replace(/_/g, '-');

/** The base, or base-2, base-3… whichever is not taken; the one chosen is added to `taken`. */
export function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Ids of the layer's table among the given ones and their numbered variants. */
export async function idsTaken(q: Queryable, layer: LayerSpec, bases: readonly string[]): Promise<Set<string>> {
  if (!bases.length) return new Set();
  return new Set((await q.query<{ id: string }>(IDS_TAKEN_SQL(layer.table.name), [[...new Set(bases)]])).map((r) => r.id));
}

// Constraint violations that validation could not foresee (a race on a unique
// marker number) are still the editor's to fix: reported per field, not as a 500.
export async function writeChanges(tx: Queryable, layer: LayerSpec, changes: readonly Change[], actor: string, note: string | null): Promise<ChangeResult[]> {
  try {
    return await applyChanges(tx, layer.table, changes, actor, note);
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505') {
      const field = e.constraint?.endsWith('_pkey') ? 'id' : (e.constraint?.replace(`${layer.table.name}_`, '').replace(/_key$/, '') ?? 'id');
      throw new ValidationFailed([fieldError(field, 'id_taken', { id: changes.length === 1 ? changes[0]!.id : changes.map((c) => c.id).join(', ') })]);
    }
    throw error;
  }
}

const writeChange = async (tx: Queryable, layer: LayerSpec, change: Change, actor: string, note: string | null) =>
  (await writeChanges(tx, layer, [change], actor, note))[0]!;

/** Runs an edit in a transaction and refreshes the revisions the caches key on. */
export async function commitEdit<T>(db: Database, revisions: { reload(): Promise<void> }, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const result = await db.transaction(fn);
  await revisions.reload();
  return result;
}
