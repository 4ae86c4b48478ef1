// Editors keep the presentation: add the current map as a view, rewrite one, delete
// one, put them in order. Every write checks the version it was made from (If-Match),
// so two editors preparing the same meeting do not silently undo each other.
import type { Queryable } from '../db/adapter.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { fold } from '../search/fold.ts';
import {
  DELETE_VIEW_SQL,
  ID_TAKEN_SQL,
  INSERT_VIEW_SQL,
  LOCKED_VIEW_SQL,
  NEXT_POSITION_SQL,
  REORDER_VIEWS_SQL,
  UPDATE_VIEW_SQL,
  VIEW_IDS_SQL,
  VIEW_SQL,
} from './queries.ts';

export type SavedView = {
  id: string;
  position: number;
  title_vi: string;
  title_en: string;
  notes_vi: string | null;
  notes_en: string | null;
  state: string;
  version: number;
  updated_by: string;
  updated_at: string;
};

export type ViewValues = Pick<SavedView, 'title_vi' | 'title_en' | 'notes_vi' | 'notes_en' | 'state'>;

export async function createView(tx: Queryable, values: ViewValues, actor: string): Promise<SavedView> {
  const id = await newViewId(tx, values.title_vi);
  const [{ position }] = (await tx.query<{ position: number }>(NEXT_POSITION_SQL)) as [{ position: number }];
  await tx.query(INSERT_VIEW_SQL, [id, position, values.title_vi, values.title_en, values.notes_vi, values.notes_en, values.state, actor]);
  return (await viewById(tx, id))!;
}

export async function updateView(tx: Queryable, id: string, changes: Partial<ViewValues>, expectedVersion: number, actor: string): Promise<SavedView> {
  const current = await lockedView(tx, id, expectedVersion);
  const next = { ...current, ...changes };
  await tx.query(UPDATE_VIEW_SQL, [id, next.title_vi, next.title_en, next.notes_vi, next.notes_en, next.state, actor]);
  return (await viewById(tx, id))!;
}

export async function deleteView(tx: Queryable, id: string, expectedVersion: number): Promise<void> {
  await lockedView(tx, id, expectedVersion);
  await tx.query(DELETE_VIEW_SQL, [id]);
}

/** `ids` must name every view once: an order made from a stale list is refused. */
export async function reorderViews(tx: Queryable, ids: string[], actor: string): Promise<void> {
  const existing = (await tx.query<{ id: string }>(VIEW_IDS_SQL)).map((r) => r.id);
  const given = new Set(ids);
  if (given.size !== ids.length) throw new HttpError(400, 'invalid_body', 'Each view may appear only once in the order.');
  const missing = existing.filter((id) => !given.has(id));
  const unknown = ids.filter((id) => !existing.includes(id));
  if (missing.length || unknown.length) {
    throw new HttpError(409, 'views_changed', 'The views changed since you loaded them; reload and order them again.', { missing, unknown });
  }
  await tx.query(REORDER_VIEWS_SQL, [ids, actor]);
}

export async function viewById(tx: Queryable, id: string): Promise<SavedView | undefined> {
  return (await tx.query<SavedView>(VIEW_SQL, [id]))[0];
}

async function lockedView(tx: Queryable, id: string, expectedVersion: number): Promise<SavedView> {
  const [current] = await tx.query<SavedView>(LOCKED_VIEW_SQL, [id]);
  if (!current) throw notFound(`There is no saved view '${id}'.`, 'view_not_found');
  if (current.version !== expectedVersion) {
    throw new HttpError(412, 'version_conflict', `Someone saved version ${current.version} of this view after you opened version ${expectedVersion}.`, {
      currentVersion: current.version,
      submittedVersion: expectedVersion,
      current,
    });
  }
  return current;
}

/** An id from the Vietnamese title (folded, hyphenated), made unique with -2, -3… */
async function newViewId(tx: Queryable, title: string): Promise<string> {
  const base = fold(title).replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, 70).replace(/-+$/, '') || 'view';
  const taken = new Set((await tx.query<{ id: string }>(ID_TAKEN_SQL, [base])).map((r) => r.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
