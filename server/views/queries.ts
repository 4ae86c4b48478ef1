// Named SQL of saved views.
export const LIST_VIEWS_SQL = `
  SELECT id, position, title_vi, title_en, notes_vi, notes_en, state, version, updated_by,
         to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
  FROM saved_views ORDER BY position, id`;

export const COUNT_VIEWS_SQL = 'SELECT count(*)::int AS n FROM saved_views';

export const INSERT_VIEW_SQL = `
  INSERT INTO saved_views (id, position, title_vi, title_en, notes_vi, notes_en, state, updated_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
