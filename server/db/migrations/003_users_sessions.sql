-- Who may see internal fields and change the map: users, their sessions, and the
-- failed sign-ins that throttle password guessing. All in the database, so several
-- servers on one database share them (servers keep no session state).

-- Roles: viewer (sees internal fields), editor (changes features), admin (manages users).
-- The public is not a row: it is the absence of a session.
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
  -- scrypt$N$r$p$salt$hash (base64url): the parameters travel with the hash, so they can be raised later.
  password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a session id is stored: a copy of this table signs nobody in.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Sent back in X-CSRF-Token with every write: a cross-site page cannot read it.
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- One row per failed sign-in, keyed 'user:<name>' and 'ip:<address>'; counted over a
-- sliding window and pruned as it goes.
CREATE TABLE login_failures (
  key text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key_idx ON login_failures (key, at);

-- As-of views replay history up to a moment, table by table.
CREATE INDEX feature_history_as_of_idx ON feature_history (table_name, at, id);

-- What a feature is found and drawn by (names, kind, status) is never hidden per
-- feature: search, analysis and map symbols use it for everyone.
ALTER TABLE zones ADD CONSTRAINT zones_identity_not_hidden
  CHECK (NOT internal_fields && ARRAY['name_vi', 'name_en', 'status', 'kind']);
ALTER TABLE border_gates ADD CONSTRAINT border_gates_identity_not_hidden
  CHECK (NOT internal_fields && ARRAY['name_vi', 'name_en', 'status', 'gate_type']);
ALTER TABLE border_markers ADD CONSTRAINT border_markers_identity_not_hidden
  CHECK (NOT internal_fields && ARRAY['name_vi', 'name_en', 'status', 'number']);
ALTER TABLE projects ADD CONSTRAINT projects_identity_not_hidden
  CHECK (NOT internal_fields && ARRAY['name_vi', 'name_en', 'status', 'kind']);
ALTER TABLE planning_areas ADD CONSTRAINT planning_areas_identity_not_hidden
  CHECK (NOT internal_fields && ARRAY['name_vi', 'name_en', 'status', 'plan_level']);
