// A fingerprint of everything stored: per table of the public schema, the row count and
// an MD5 of all rows as text, in a fixed order; per sequence, its last value. Two
// databases with equal digests hold the same rows (backup/restore, "no effect" checks).
import type { Queryable } from '../../server/db/adapter.ts';
import { ident } from '../../server/db/sql.ts';

export type TableDigest = { rows: number; md5: string | null };
export type DatabaseDigest = { tables: Record<string, TableDigest>; sequences: Record<string, number | null> };

export async function databaseDigest(db: Queryable): Promise<DatabaseDigest> {
  const names = await db.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  const tables: Record<string, TableDigest> = {};
  for (const { name } of names) {
    // A row's text form is exact for every type here (geometry as hex EWKB, jsonb normalised).
    const [row] = await db.query<{ rows: number; md5: string | null }>(
      `SELECT count(*)::int AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM public.${ident(name)} t`,
    );
    tables[name] = row!;
  }
  const sequences = await db.query<{ name: string; last_value: number | null }>(
    "SELECT sequencename AS name, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename",
  );
  return { tables, sequences: Object.fromEntries(sequences.map((s) => [s.name, s.last_value])) };
}
