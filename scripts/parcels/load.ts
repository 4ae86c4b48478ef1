// Generates synthetic land parcels and loads them through the bulk import path, into
// the configured database (DATABASE_URL, else the embedded one in DATA_DIR).
//   npx tsx scripts/parcels/load.ts --count 100000 [--seed 1]
import { loadConfig } from '../../server/config.ts';
import { prepareDatabase } from '../../server/prepare.ts';
import { loadSyntheticParcels } from './province.ts';

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
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const report = await loadSyntheticParcels(db, {
    count,
    seed,
    onBatch: (loaded) => {
      if (loaded % 50_000 === 0 || loaded === count) say(`  ${loaded} parcels loaded (${seconds()} s)`);
    },
  });
  say(`Loaded ${report.features} synthetic parcels in ${report.batches} batches, ${seconds()} s.`);
} finally {
  await db.close();
}
