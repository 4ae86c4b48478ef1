// Plain SQL migrations, applied in file-name order, each recorded with a checksum.
// All pending ones run in one transaction under an advisory lock, so two servers
// starting together on one PostgreSQL cannot both apply them.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STARTUP_STATEMENT_TIMEOUT_MS, type Database } from './adapter.ts';

export const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type Migration = { version: string; file: string; sql: string; checksum: string };

export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await fs.readFile(path.join(dir, file), 'utf8');
      return { version: file.slice(0, 3), file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export class MigrationError extends Error {}

/** Applies pending migrations; returns the files applied now. */
export async function migrate(
  db: Database,
  { dir = migrationsDir, onApply = () => {} }: { dir?: string; onApply?: (file: string) => void } = {},
): Promise<string[]> {
  const migrations = await readMigrations(dir);
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('lang-son-gis:migrations'))");
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, file text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Map(
      (await tx.query<{ version: string; checksum: string; file: string }>(
        'SELECT version, checksum, file FROM schema_migrations',
      )).map((r) => [r.version, r]),
    );
    const done: string[] = [];
    for (const m of migrations) {
      const previous = applied.get(m.version);
      if (previous) {
        if (previous.checksum !== m.checksum) {
          throw new MigrationError(
            `Migration ${m.file} was changed after it was applied (as ${previous.file}). ` +
              'Add a new migration instead of editing an applied one.',
          );
        }
        continue;
      }
      onApply(m.file);
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, file, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.file,
        m.checksum,
      ]);
      done.push(m.file);
    }
    return done;
  }, { statementTimeoutMs: STARTUP_STATEMENT_TIMEOUT_MS });
}
