// Generates synthetic land parcels and loads them through the bulk import path, into
// the configured database (DATABASE_URL, else the embedded one in DATA_DIR).
//   npx tsx scripts/parcels/load.ts --count 100000 [--seed 1]
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { importFeatures } from '../../server/import/bulk.ts';
import { tables } from '../../server/layers/tables.ts';
import { geodataDir, prepareDatabase } from '../../server/prepare.ts';
import { provinceRings, upsertSyntheticSource } from './province.ts';
import { syntheticParcels } from './synthetic.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('count', 100_000);
const seed = arg('seed', 1);
if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a positive integer');

const say = (line: string) => process.stdout.write(`${line}\n`);
const db = await prepareDatabase(loadConfig(), say);
try {
  const started = performance.now();
  const rings = provinceRings(JSON.parse(fs.readFileSync(path.join(geodataDir, 'base/lang_son_province.geojson'), 'utf8')));
  await upsertSyntheticSource(db);
  const report = await importFeatures(db, tables.parcels, syntheticParcels({ count, rings, seed }), {
    replace: true,
    onBatch: (loaded) => {
      if (loaded % 50_000 === 0 || loaded === count) say(`  ${loaded} parcels loaded (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    },
  });
  await db.query('ANALYZE parcels');
  say(`Loaded ${report.features} synthetic parcels in ${report.batches} batches, ${((performance.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await db.close();
}
