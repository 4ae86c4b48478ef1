// Named SQL of the backup tools; nothing here takes a value from the command line.

/**
 * Relations that make a database "not empty": anything in a user schema that no
 * extension owns. A database with only PostGIS installed (its spatial_ref_sys and
 * views) is empty and may receive a restore.
 */
export const USER_RELATIONS_SQL = `
  SELECT n.nspname || '.' || c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY 1`;

/**
 * Other sessions of our servers on this database (application_name set by openPostgres).
 * A restore under a running server would leave it serving caches keyed on revisions
 * that the restored table_revisions no longer has.
 */
export const SERVER_SESSIONS_SQL = `
  SELECT count(*)::int AS n FROM pg_stat_activity
  WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'lang-son-gis%'`;

/**
 * Forced restore: the old schema goes in the same transaction as the restore, so a
 * failed restore leaves the old database as it was. PostGIS lives in public and is
 * dropped with it; the dump creates it again.
 */
export const CLEAR_PUBLIC_SCHEMA_SQL = 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;';
