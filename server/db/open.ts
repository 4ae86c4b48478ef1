import path from 'node:path';
import type { Config } from '../config.ts';
import type { Database } from './adapter.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** The configured database: PostgreSQL when DATABASE_URL is set, else embedded PGlite. */
export function openDatabase(config: DatabaseConfig): Promise<Database> {
  const { statementTimeoutMs } = config;
  if (config.databaseUrl) return openPostgres({ url: config.databaseUrl, poolMax: config.dbPoolMax, statementTimeoutMs });
  return openPglite({ dataDir: pgliteDataDir(config.dataDir) }, { durable: config.embeddedFsync, statementTimeoutMs });
}

/** Timeout and durability default as in the server's configuration when not given (scripts, tests). */
export type DatabaseConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolMax'> & Partial<Pick<Config, 'statementTimeoutMs' | 'embeddedFsync'>>;

export const pgliteDataDir = (dataDir: string) => path.join(dataDir, 'pglite');
