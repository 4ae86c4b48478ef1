-- Saved views ("bookmarks") for presentations: a title, talking points and a map state
-- (the app's URL hash: view, layers, selection, filter), in the order they are played.
CREATE TABLE saved_views (
  id feature_id PRIMARY KEY,
  position integer NOT NULL,
  title_vi text NOT NULL CHECK (btrim(title_vi) <> ''),
  title_en text NOT NULL CHECK (btrim(title_en) <> ''),
  notes_vi text,
  notes_en text,
  state text NOT NULL CHECK (length(state) <= 2000 AND state ~ '^[A-Za-z0-9_\-.,/=&%:;+]*$'),
  version integer NOT NULL DEFAULT 1,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_views_position_idx ON saved_views (position);

CREATE TRIGGER saved_views_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON saved_views
  FOR EACH STATEMENT EXECUTE FUNCTION bump_table_revision();
