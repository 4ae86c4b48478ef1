// Named SQL of saved views.
const COLUMNS = `id, position, title_vi, title_en, notes_vi, notes_en, state, version, updated_by,
         to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at`;

export const LIST_VIEWS_SQL = `SELECT ${COLUMNS} FROM saved_views ORDER BY position, id`;

export const VIEW_SQL = `SELECT ${COLUMNS} FROM saved_views WHERE id = $1`;

/** The row, locked for a write that checks its version. */
export const LOCKED_VIEW_SQL = `${VIEW_SQL} FOR UPDATE`;

export const COUNT_VIEWS_SQL = 'SELECT count(*)::int AS n FROM saved_views';

export const VIEW_IDS_SQL = 'SELECT id FROM saved_views ORDER BY position, id FOR UPDATE';

export const ID_TAKEN_SQL = `SELECT id FROM saved_views WHERE id = $1 OR id LIKE $1 || '-%'`;

export const INSERT_VIEW_SQL = `
  INSERT INTO saved_views (id, position, title_vi, title_en, notes_vi, notes_en, state, updated_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

/** A new view goes last. */
export const NEXT_POSITION_SQL = 'SELECT coalesce(max(position), 0) + 1 AS position FROM saved_views';

export const UPDATE_VIEW_SQL = `
  UPDATE saved_views SET title_vi = $2, title_en = $3, notes_vi = $4, notes_en = $5, state = $6,
         version = version + 1, updated_by = $7, updated_at = now()
  WHERE id = $1`;

export const DELETE_VIEW_SQL = 'DELETE FROM saved_views WHERE id = $1';

/** Positions 1…n in the order of the array $1; each moved row gets a new version. */
export const REORDER_VIEWS_SQL = `
  UPDATE saved_views v SET position = o.position, version = v.version + 1, updated_by = $2, updated_at = now()
  FROM unnest($1::text[]) WITH ORDINALITY AS o(id, position)
  WHERE v.id = o.id AND v.position <> o.position`;
