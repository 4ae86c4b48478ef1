// Named SQL of users, sessions and sign-in throttling.
export const USER_COLUMNS = 'id::int AS id, username, role, created_at, updated_at';

export const SQL = {
  listUsers: `SELECT ${USER_COLUMNS} FROM users ORDER BY username`,
  userById: `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`,
  userForLogin: 'SELECT id::int AS id, username, role, password_hash FROM users WHERE username = $1',
  insertUser: `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`,
  setRole: `UPDATE users SET role = $2, updated_at = now() WHERE id = $1 RETURNING ${USER_COLUMNS}`,
  setPassword: `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 RETURNING ${USER_COLUMNS}`,
  deleteUser: 'DELETE FROM users WHERE id = $1 RETURNING id',
  adminCount: "SELECT count(*)::int AS n FROM users WHERE role = 'admin'",
  // Serialises changes that could leave the database without an admin.
  lockAdmins: "SELECT pg_advisory_xact_lock(hashtext('lang-son-gis:admins'))",

  insertSession: 'INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)',
  sessionUser: `SELECT u.id::int AS id, u.username, u.role, s.csrf_token
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.token_hash = $1 AND s.expires_at > now()`,
  deleteSession: 'DELETE FROM sessions WHERE token_hash = $1',
  deleteUserSessions: 'DELETE FROM sessions WHERE user_id = $1',
  deleteExpiredSessions: 'DELETE FROM sessions WHERE expires_at <= now()',

  countFailures: 'SELECT key, count(*)::int AS n FROM login_failures WHERE key = ANY($1::text[]) AND at > now() - $2::interval GROUP BY key',
  insertFailure: 'INSERT INTO login_failures (key) SELECT unnest($1::text[])',
  clearFailures: 'DELETE FROM login_failures WHERE key = $1',
  pruneFailures: 'DELETE FROM login_failures WHERE at <= now() - $1::interval',
} as const;
