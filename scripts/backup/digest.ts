// A digest per table (row count + MD5 of the sorted rows) and the position of every
// sequence: two databases with equal digests hold the same data. Used to check a
// restore against its source, in tests and in the figures script.
import type { Queryable } from '../../server/db/adapter.ts';
import { PUBLIC_TABLES_SQL, SEQUENCES_SQL, tableDigestSql } from './queries.ts';

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
