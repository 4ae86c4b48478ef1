// Measures backup and restore on both backends — the seeded data plus synthetic
// parcels, backed up, restored into an empty database and checked table by table —
// and writes the figures into docs/RELIABILITY.md between its backup markers.
//   npx tsx scripts/backup/measure.ts [--parcels 20000]
// PostgreSQL needs TEST_DATABASE_URL (a role that may create databases); without it
// only the embedded database is measured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runAdminStatement } from '../lib/pg-admin.ts';
import { z } from 'zod';
import type { Database } from '../../server/db/adapter.ts';
import { openPglite } from '../../server/db/pglite.ts';
import { pgliteDataDir } from '../../server/db/open.ts';
import { openPostgres } from '../../server/db/postgres.ts';
import { prepareDatabase } from '../../server/prepare.ts';
import { loadSyntheticParcels } from '../parcels/province.ts';
import { databaseDigests, totalRows } from '../lib/table-digest.ts';
import { PgliteTarget } from './pglite.ts';
import { PostgresTarget } from './postgres.ts';
import type { BackupTarget } from './target.ts';

const { values } = parseArgs({ options: { parcels: { type: 'string', default: '20000' } }, strict: true });
const parcels = z.coerce.number().int().min(0).max(2_000_000).parse(values.parcels);

const say = (line: string) => process.stdout.write(`${line}\n`);
const quiet = () => {};
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-measure-'));

type Place = { target: BackupTarget; open(): Promise<Database>; remove(): Promise<void> };
type Figures = { backend: string; rows: number; backupSeconds: number; bytes: number; restoreSeconds: number; equal: boolean };

async function measure(backend: string, source: Place, empty: Place): Promise<Figures> {
  say(`${backend}: seeding and loading ${parcels} parcels…`);
  const db = await source.open();
  try {
    await loadSyntheticParcels(db, { count: parcels, seed: 1 });
  } finally {
    await db.close();
  }
  const file = path.join(work, `${backend}.backup`);
  let started = performance.now();
  const bytes = await source.target.backup(file);
  const backupSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await empty.target.restore(file, { force: false });
  const restoreSeconds = (performance.now() - started) / 1000;
  const digests = async (place: Place) => {
    const opened = await place.open();
    try {
      return await databaseDigests(opened);
    } finally {
      await opened.close();
    }
  };
  const [before, after] = [await digests(source), await digests(empty)];
  const figures = { backend, rows: totalRows(before), backupSeconds, bytes, restoreSeconds, equal: JSON.stringify(before) === JSON.stringify(after) };
  say(`  ${JSON.stringify(figures)}`);
  return figures;
}

function pglitePlace(name: string): Place {
  const dataDir = path.join(work, name);
  const config = { dataDir, databaseUrl: undefined, dbPoolMax: 1 };
  return {
    target: new PgliteTarget(dataDir),
    // The first open of the source migrates and seeds it; later ones only open.
    open: async () => (fs.existsSync(pgliteDataDir(dataDir)) ? openPglite({ dataDir: pgliteDataDir(dataDir) }) : prepareDatabase(config, quiet)),
    remove: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresPlace(adminUrl: string, name: string, seed: boolean): Promise<Place> {
  const run = (sql: string) => runAdminStatement(adminUrl, sql);
  const database = `lsgis_measure_${name}_${process.pid}`;
  await run(`CREATE DATABASE "${database}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  const url = u.toString();
  let seeded = !seed;
  return {
    target: new PostgresTarget(url),
    // The first open of the source migrates and seeds it; later ones only open.
    open: async () => {
      if (seeded) return openPostgres({ url, poolMax: 2 });
      seeded = true;
      return prepareDatabase({ databaseUrl: url, dataDir: work, dbPoolMax: 4 }, quiet);
    },
    remove: () => run(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
  };
}

const results: Figures[] = [];
const places: Place[] = [];
try {
  const [source, empty] = [pglitePlace('source'), pglitePlace('restored')];
  places.push(source, empty);
  results.push(await measure('PGlite (embedded)', source, empty));
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const pgSource = await postgresPlace(adminUrl, 'source', true);
    places.push(pgSource);
    const pgEmpty = await postgresPlace(adminUrl, 'restored', false);
    places.push(pgEmpty);
    results.push(await measure('PostgreSQL', pgSource, pgEmpty));
  } else {
    say('TEST_DATABASE_URL not set: PostgreSQL not measured.');
  }
} finally {
  for (const place of places) await place.remove();
  fs.rmSync(work, { recursive: true, force: true });
}

const row = (f: Figures) =>
  `| ${f.backend} | ${f.rows.toLocaleString('en')} | ${f.backupSeconds.toFixed(1)} s | ${(f.bytes / 1e6).toFixed(1)} MB | ${f.restoreSeconds.toFixed(1)} s | ${f.equal ? 'yes' : '**NO**'} |`;
const section = [
  '<!-- backup:start -->',
  '## Backup and restore',
  '',
  `\`npx tsx scripts/backup/measure.ts --parcels ${parcels}\` on ${new Date().toISOString().slice(0, 10)} (${os.cpus().length} CPUs, Node ${process.version}):`,
  `the seeded data plus ${parcels.toLocaleString('en')} synthetic parcels, backed up with \`npm run backup\`'s code, restored into an empty`,
  'database, then every table and sequence compared by digest. Backup time includes opening the database (PGlite: its data directory);',
  'restore time includes checking the backup by opening it (PGlite) or turning it into a script first (PostgreSQL).',
  '',
  '| backend | rows | backup | file | restore into an empty database | every row equal |',
  '|---|---:|---:|---:|---:|---|',
  ...results.map(row),
  '<!-- backup:end -->',
].join('\n');

const doc = path.resolve(import.meta.dirname, '../../docs/RELIABILITY.md');
const header = '# Reliability\n\nFigures measured by the scripts named in each section, which rewrite their own section between its markers.\n';
const current = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : header;
const marked = /<!-- backup:start -->[\s\S]*<!-- backup:end -->/;
fs.writeFileSync(doc, marked.test(current) ? current.replace(marked, section) : `${current.trimEnd()}\n\n${section}\n`);
say(`Wrote the figures into ${path.relative(process.cwd(), doc)}.`);
if (results.some((f) => !f.equal)) process.exit(1);
