import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { SESSION_TIME_ZONE, typeParsers, type Database, type Listener, type Queryable, type Row } from './adapter.ts';
import { lockDataDir } from './data-dir-lock.ts';

export type PgliteSource =
  | { dataDir: string; load?: Blob } // persisted on disk; `load`: a dump to create it from (restore)
  | { memory: true } // throw-away
  | { dump: Blob }; // a copy of a dumped data directory (test fixtures)

/** Opens PGlite with PostGIS loaded. First open of a new data dir takes ~15–25 s. */
export async function openPglite(source: PgliteSource): Promise<Database> {
  const options = { extensions: { postgis }, parsers: typeParsers };
  let pg: PGlite;
  let unlock = () => {};
  if ('dataDir' in source) {
    await fs.mkdir(source.dataDir, { recursive: true });
    unlock = lockDataDir(source.dataDir);
    try {
      pg = await PGlite.create(source.dataDir, { ...options, loadDataDir: source.load });
    } catch (error) {
      unlock();
      throw error;
    }
  } else if ('dump' in source) {
    pg = await PGlite.create({ ...options, loadDataDir: source.dump });
  } else {
    pg = await PGlite.create(options);
  }
  await pg.exec(`SET TimeZone = '${SESSION_TIME_ZONE}'`);
  return new PgliteDatabase(pg, unlock);
}

class PgliteDatabase implements Database {
  readonly backend = 'pglite' as const;
  constructor(
    private readonly pg: PGlite,
    private readonly unlock: () => void,
  ) {}

  async query<R extends Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.pg.query<R>(sql, params as unknown[]);
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction(async (tx) =>
      fn({
        query: async <R extends Row>(sql: string, params: readonly unknown[] = []) =>
          (await tx.query<R>(sql, params as unknown[])).rows,
        exec: async (sql: string) => {
          await tx.exec(sql);
        },
      }),
    );
  }

  async listen(channel: string, listener: Listener): Promise<() => Promise<void>> {
    const unsubscribe = await this.pg.listen(channel, (payload) => listener.onNotify(payload));
    listener.onSubscribed?.();
    return unsubscribe;
  }

  /** A tarball of the data directory: test templates (uncompressed, fast) and backups (gzip). */
  dump(compression: 'none' | 'gzip' = 'none'): Promise<Blob> {
    return this.pg.dumpDataDir(compression);
  }

  async close(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
    this.unlock();
  }
}

export function isPgliteDatabase(db: Database): db is PgliteDatabase {
  return db instanceof PgliteDatabase;
}
