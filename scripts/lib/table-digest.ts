// A digest per table (row count + MD5 of the sorted rows) and the position of every
// sequence: two databases with equal digests hold the same data. Used to check a
// restore against its source, and "no effect" after hostile requests (fuzz).
import type { Queryable } from '../../server/db/adapter.ts';
import { ident } from '../../server/db/sql.ts';

/** Every table in public (PostGIS's spatial_ref_sys too: custom SRIDs are data). */
export const PUBLIC_TABLES_SQL = `
  SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`;

/** Sequence positions: a restore that lost them would hand out ids already used. */
export const SEQUENCES_SQL = `
  SELECT sequencename AS name, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`;

/**
 * Row count and MD5 of a table's rows as text, sorted bytewise (COLLATE "C", so the
 * order does not depend on the cluster's locale). Geometry prints as hex EWKB:
 * exact, unlike GeoJSON.
 */
export const tableDigestSql = (table: string) => `
  SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE "C")), '') AS md5
  FROM public.${ident(table)} t`;

export type Digests = Record<string, { rows: number; md5: string } | { sequence: number | null }>;

export async function databaseDigests(db: Queryable): Promise<Digests> {
  const digests: Digests = {};
  for (const { name } of await db.query<{ name: string }>(PUBLIC_TABLES_SQL)) {
    const [row] = await db.query<{ rows: number; md5: string }>(tableDigestSql(name));
    digests[name] = row!;
  }
  for (const { name, last_value } of await db.query<{ name: string; last_value: number | null }>(SEQUENCES_SQL)) {
    digests[`sequence ${name}`] = { sequence: last_value };
  }
  return digests;
}

/** Total rows over all tables (for reports). */
export const totalRows = (digests: Digests) =>
  Object.values(digests).reduce((sum, d) => sum + ('rows' in d ? d.rows : 0), 0);
