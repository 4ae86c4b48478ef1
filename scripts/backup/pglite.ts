// The embedded database: a gzip tarball of PGlite's data directory (dumpDataDir), the
// whole cluster byte for byte — schema, data, sequences, PostGIS. It restores with the
// same PGlite (PostgreSQL major version) only; see docs/architecture.md.
import fs from 'node:fs/promises';
import path from 'node:path';
import { lockDataDir } from '../../server/db/data-dir-lock.ts';
import { isPgliteDatabase, openPglite } from '../../server/db/pglite.ts';
import { pgliteDataDir } from '../../server/db/open.ts';
import { BackupError, readMagic, RestoreRefused, writeAtomically, type BackupTarget } from './target.ts';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export class PgliteTarget implements BackupTarget {
  readonly description: string;
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = pgliteDataDir(dataDir);
    this.description = `the embedded database in ${this.dir}`;
  }

  async backup(file: string): Promise<number> {
    if (!(await hasFiles(this.dir))) throw new BackupError(`There is no embedded database in ${this.dir}.`);
    // Opening takes the data directory's lock: refused while a server runs on it.
    const db = await openPglite({ dataDir: this.dir });
    try {
      if (!isPgliteDatabase(db)) throw new Error('openPglite returned another backend');
      const dump = await db.dump('gzip');
      return await writeAtomically(file, async (partial) => fs.writeFile(partial, Buffer.from(await dump.arrayBuffer())));
    } finally {
      await db.close();
    }
  }

  async restore(file: string, { force }: { force: boolean }): Promise<void> {
    if (!(await readMagic(file, 2)).equals(GZIP_MAGIC)) {
      throw new BackupError(`${file} is not a backup of the embedded database (made with DATABASE_URL set? restore it the same way).`);
    }
    await fs.mkdir(path.dirname(this.dir), { recursive: true });
    // Held throughout: no server may start on the directory while it is being replaced.
    const unlock = lockDataDir(this.dir);
    const staging = `${this.dir}.restoring`;
    const replaced = `${this.dir}.replaced`;
    try {
      if ((await hasFiles(this.dir)) && !force) {
        throw new RestoreRefused(
          `${this.dir} already holds a database. Restore into an empty DATA_DIR, or pass --force to replace it.`,
        );
      }
      // Built aside and checked by opening it; only then swapped in by renames, so the
      // directory is at every moment absent, the old database, or the whole new one.
      await fs.rm(staging, { recursive: true, force: true });
      const dump = new Blob([await fs.readFile(file)]);
      const restored = await openPglite({ dataDir: staging, load: dump }).catch((error: Error) => {
        throw new BackupError(`${file} could not be loaded: ${error.message}`);
      });
      try {
        await restored.query('SELECT count(*) FROM schema_migrations').catch(() => {
          throw new BackupError(`${file} is a PGlite data directory, but not one of this application.`);
        });
      } finally {
        await restored.close();
      }
      await fs.rm(replaced, { recursive: true, force: true });
      if (await hasFiles(this.dir)) await fs.rename(this.dir, replaced);
      else await fs.rm(this.dir, { recursive: true, force: true });
      await fs.rename(staging, this.dir);
      await fs.rm(replaced, { recursive: true, force: true });
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
      unlock();
    }
  }
}

const hasFiles = async (dir: string) => (await fs.readdir(dir).catch(() => [])).length > 0;
