// Opens the configured database and brings it up to date: migrations, then seed.
// Prints what it does, because the first embedded start takes ~20 s.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './db/adapter.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase, pgliteDataDir, type DatabaseConfig } from './db/open.ts';
import { seedDatabase } from './seed/seed.ts';

export const geodataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../geodata');

export async function prepareDatabase(
  config: DatabaseConfig,
  say: (line: string) => void,
): Promise<Database> {
  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (config.databaseUrl) say('Connecting to PostgreSQL…');
  else {
    say(`Opening embedded PostGIS (PGlite) in ${pgliteDataDir(config.dataDir)}.`);
    say('The first start creates the database and takes about 20 s; later starts about 5 s.');
  }
  const ticker = setInterval(() => say(`  …still opening (${seconds()})`), 5000);
  let db: Database;
  try {
    db = await openDatabase(config);
  } finally {
    clearInterval(ticker);
  }
  say(`Database open (${seconds()}).`);
  try {
    const applied = await migrate(db, { onApply: (file) => say(`  applying migration ${file}`) });
    say(applied.length ? `Migrations applied: ${applied.length} (${seconds()}).` : 'Schema is up to date.');
    say('Seeding from geodata/ (only what is new or changed)…');
    await seedDatabase(db, geodataDir, (line) => say(`  ${line}`));
    say(`Data ready (${seconds()}).`);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
