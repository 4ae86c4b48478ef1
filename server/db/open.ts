import path from 'node:path';
import type { Config } from '../config.ts';
import type { Database } from './adapter.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** The configured database: PostgreSQL when DATABASE_URL is set, else embedded PGlite. */
export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolMax'>): Promise<Database> {
  if (config.databaseUrl) return openPostgres({ url: config.databaseUrl, poolMax: config.dbPoolMax });
  return openPglite({ dataDir: pgliteDataDir(config.dataDir) });
}

export const pgliteDataDir = (dataDir: string) => path.join(dataDir, 'pglite');
