// A seeded database for a server run as a child process (scripts/lib/server-process.ts),
// copied from the test template: a PGlite data directory on disk, or a PostgreSQL
// database cloned from the template. The server owns it; the test only gets its env.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { runAdminStatement } from '../../scripts/lib/pg-admin.ts';
import { inject } from 'vitest';
import { pgliteDataDir } from '../../server/db/open.ts';
import type { BackendName } from './backends.ts';
import { adminUrl } from './templates.ts';

export type ServerDatabase = {
  /** DATA_DIR or DATABASE_URL for the server. */
  env: Record<string, string>;
  /** The PostgreSQL database's own URL (for tests that go around the server). */
  url?: string;
  dispose(): Promise<void>;
};

export async function serverDatabase(backend: BackendName): Promise<ServerDatabase> {
  if (backend === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-server-'));
    // Unpacked into the directory the server will open, then closed: the server is its only user.
    const db = await PGlite.create(pgliteDataDir(dataDir), { extensions: { postgis }, loadDataDir: new Blob([fs.readFileSync(inject('pgliteTemplate'))]) });
    await db.close();
    return { env: { DATA_DIR: dataDir }, dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `lsgis_server_${randomBytes(6).toString('hex')}`;
  const run = (sql: string) => runAdminStatement(admin, sql);
  await run(`CREATE DATABASE "${name}" TEMPLATE "${inject('postgresTemplate')}"`);
  const url = adminUrl(admin, name);
  return { env: { DATABASE_URL: url }, url, dispose: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
