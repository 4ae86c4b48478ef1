// One fixture for every integration suite: the suite body runs once per backend,
// each time on a fresh copy of the migrated+seeded template database.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { runAdminStatement } from '../../scripts/lib/pg-admin.ts';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { Database } from '../../server/db/adapter.ts';
import { openPglite } from '../../server/db/pglite.ts';
import { openPostgres } from '../../server/db/postgres.ts';
import { adminUrl } from './templates.ts';

export type BackendName = 'pglite' | 'postgres';

type Opened = { db: Database; dispose(): Promise<void> };

async function openPgliteCopy(): Promise<Opened> {
  const dump = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  const db = await openPglite({ dump });
  return { db, dispose: () => db.close() };
}

export type PostgresDatabase = { url: string; drop(): Promise<void> };

/** A new database on the test cluster: a copy of the seeded template, or empty. */
export async function createPostgresDatabase(contents: 'seeded' | 'empty'): Promise<PostgresDatabase> {
  const url = process.env.TEST_DATABASE_URL!;
  const name = `lsgis_test_${randomBytes(6).toString('hex')}`;
  const run = (sql: string) => runAdminStatement(url, sql);
  await run(contents === 'seeded' ? `CREATE DATABASE "${name}" TEMPLATE "${inject('postgresTemplate')!}"` : `CREATE DATABASE "${name}"`);
  return { url: adminUrl(url, name), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function openPostgresCopy(): Promise<Opened> {
  const copy = await createPostgresDatabase('seeded');
  const db = await openPostgres({ url: copy.url, poolMax: 8 });
  return {
    db,
    dispose: async () => {
      await db.close();
      await copy.drop();
    },
  };
}

export const backendNames = (): BackendName[] =>
  inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh seeded database of the named backend; dispose() drops it. */
export function openTestDatabase(backend: BackendName): Promise<Opened> {
  return backend === 'pglite' ? openPgliteCopy() : openPostgresCopy();
}

/**
 * Runs the suite once per available backend. `db()` is the suite's own database,
 * opened before its first test and dropped after its last.
 */
export function describeEachBackend(title: string, suite: (ctx: { db: () => Database; backend: BackendName }) => void) {
  for (const backend of backendNames()) {
    describe(`${title} [${backend}]`, () => {
      let opened: Opened | undefined;
      beforeAll(async () => {
        opened = await openTestDatabase(backend);
      });
      afterAll(async () => {
        await opened?.dispose();
      });
      suite({
        backend,
        db: () => {
          if (!opened) throw new Error('database not open yet');
          return opened.db;
        },
      });
    });
  }
}
