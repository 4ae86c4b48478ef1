// Migrated and seeded template databases, built once per content version and cloned
// for every test file: PGlite as a dumped data directory, PostgreSQL as a TEMPLATE db.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../server/db/migrate.ts';
import { openPglite } from '../../server/db/pglite.ts';
import { openPostgres } from '../../server/db/postgres.ts';
import { geodataDir } from '../../server/prepare.ts';
import { seedDatabase } from '../../server/seed/seed.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const testCacheDir = path.join(repoRoot, 'data/test-cache');

/** Changes whenever a migration, a seed/base file or the PGlite version changes. */
export function templateVersion(): string {
  const hash = createHash('sha256');
  const addTree = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) addTree(full);
      else hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  addTree(path.join(repoRoot, 'server/db/migrations'));
  addTree(path.join(geodataDir, 'seed'));
  addTree(path.join(geodataDir, 'base'));
  hash.update(fs.readFileSync(path.join(repoRoot, 'server/seed/seed.ts')));
  hash.update(fs.readFileSync(path.join(repoRoot, 'server/seed/base-layers.ts')));
  hash.update(JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version);
  return hash.digest('hex').slice(0, 12);
}

/** Path of a PGlite dump holding the migrated, seeded database. */
export async function ensurePgliteTemplate(version: string): Promise<string> {
  const file = path.join(testCacheDir, `pglite-template-${version}.tar`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(testCacheDir, { recursive: true });
  const db = await openPglite({ memory: true });
  try {
    await migrate(db);
    await seedDatabase(db, geodataDir);
    const dump = await (db as unknown as { dump(): Promise<Blob> }).dump();
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  } finally {
    await db.close();
  }
  return file;
}

export const postgresTemplateName = (version: string) => `lsgis_template_${version}`;

export function adminUrl(url: string, database?: string): string {
  const u = new URL(url);
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

/** Creates the PostgreSQL template database if this version does not exist yet. */
export async function ensurePostgresTemplate(testDatabaseUrl: string, version: string): Promise<string> {
  const name = postgresTemplateName(version);
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return name;
    // Templates of other content versions are left alone: another checkout may be
    // cloning from them right now. They are small; CI starts from an empty cluster.
    const building = `${name}_building`;
    await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
    await admin.query(`CREATE DATABASE "${building}"`);
    const db = await openPostgres({ url: adminUrl(testDatabaseUrl, building), poolMax: 2 });
    try {
      await migrate(db);
      await seedDatabase(db, geodataDir);
    } finally {
      await db.close();
    }
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    return name;
  } finally {
    await admin.end();
  }
}
