// Opens the configured database and brings it up to date: migrations, then seed. Says
// what it does and how long each step took, because a first embedded start takes a while.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './db/adapter.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase, pgliteDataDir, type DatabaseConfig } from './db/open.ts';
import { seedDatabase } from './seed/seed.ts';

export const geodataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../geodata');

/** How long each phase of the start took, in the order they ran. */
export type StartPhases = [phase: string, ms: number][];

export const formatPhases = (phases: StartPhases) => phases.map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s`).join(', ');

export async function prepareDatabase(config: DatabaseConfig, say: (line: string) => void, phases: StartPhases = []): Promise<Database> {
  let started = performance.now();
  const took = (phase: string) => {
    const ms = performance.now() - started;
    phases.push([phase, ms]);
    started = performance.now();
    return `${(ms / 1000).toFixed(1)} s`;
  };
  if (config.databaseUrl) say('Connecting to PostgreSQL…');
  else {
    const dir = pgliteDataDir(config.dataDir);
    say(fs.existsSync(path.join(dir, 'PG_VERSION')) ? `Opening the embedded database (PGlite + PostGIS) in ${dir}…` : `Creating the embedded database (PGlite + PostGIS) in ${dir}: a first start only…`);
  }
  const ticker = setInterval(() => say(`  …still opening (${((performance.now() - started) / 1000).toFixed(0)} s)`), 5000);
  let db: Database;
  try {
    db = await openDatabase(config);
  } finally {
    clearInterval(ticker);
  }
  say(`Database open (${took('database open')}).`);
  try {
    const applied = await migrate(db, { onApply: (file) => say(`  applying migration ${file}`) });
    say(applied.length ? `Migrations applied: ${applied.length} (${took('migrations')}).` : `Schema is up to date (${took('schema check')}).`);
    say('Seeding from geodata/ (only what is new or changed)…');
    await seedDatabase(db, geodataDir, (line) => say(`  ${line}`));
    say(`Data ready (${took('seed')}).`);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
