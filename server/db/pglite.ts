import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { SESSION_TIME_ZONE, typeParsers, type Database, type Listener, type Queryable, type Row } from './adapter.ts';

export type PgliteSource =
  | { dataDir: string } // persisted on disk
  | { memory: true } // throw-away
  | { dump: Blob }; // a copy of a dumped data directory (test fixtures)

/** Opens PGlite with PostGIS loaded. First open of a new data dir takes ~15–25 s. */
export async function openPglite(source: PgliteSource): Promise<Database> {
  const options = { extensions: { postgis }, parsers: typeParsers };
  let pg: PGlite;
  if ('dataDir' in source) {
    await fs.mkdir(source.dataDir, { recursive: true });
    pg = await PGlite.create(source.dataDir, options);
  } else if ('dump' in source) {
    pg = await PGlite.create({ ...options, loadDataDir: source.dump });
  } else {
    pg = await PGlite.create(options);
  }
  await pg.exec(`SET TimeZone = '${SESSION_TIME_ZONE}'`);
  return new PgliteDatabase(pg);
}

class PgliteDatabase implements Database {
  readonly backend = 'pglite' as const;
  constructor(private readonly pg: PGlite) {}

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

  /** A tarball of the data directory, to clone this database (tests). */
  dump(): Promise<Blob> {
    return this.pg.dumpDataDir('none');
  }

  async close(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}

export function isPgliteDatabase(db: Database): db is PgliteDatabase {
  return db instanceof PgliteDatabase;
}
