// Benchmark of starting the server as a user does (`npm start`'s command), and of its
// resident memory once idle: a first start on an empty data directory (creates, migrates,
// seeds), then second starts on it; the same server on PostgreSQL. Reference, measured in
// the same run on the same data directory: a bare process that only opens PGlite with
// PostGIS and runs one PostGIS statement (pglite-floor.ts) — what any embedded start costs.
//   npx tsx scripts/bench/start.ts [--restarts 3]
// Writes its figures to docs/PERFORMANCE.md (section "start").
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess } from '../lib/server-process.ts';
import { machine, table, writeSection } from '../reliability/report.ts';
import { benchPostgres } from './postgres.ts';
import { performanceDoc, residentMemory } from './sampling.ts';
import { numberOption } from './args.ts';

const restarts = numberOption('restarts', 3);
const IDLE_SETTLE_MS = 5_000;

type Start = { label: string; wallSeconds: number; phases: string; idleMb: number };

async function start(label: string, env: Record<string, string>): Promise<Start> {
  const started = performance.now();
  const server = await startServerProcess({ PORT: '0', ...env }, { timeoutMs: 600_000 });
  const wallSeconds = (performance.now() - started) / 1000;
  try {
    // One ordinary page load, then idle.
    await fetch(`${server.origin}/api/layers`).then((r) => r.arrayBuffer());
    await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
    const phases = /Started in ([\d.]+ s: [^\n]*)\./.exec(server.output())?.[1] ?? '?';
    return { label, wallSeconds, phases, idleMb: residentMemory(server.child.pid!) / 2 ** 20 };
  } finally {
    await server.stop();
  }
}

/** The bare floor: PGlite + PostGIS opened on the data directory, nothing else. */
function floor(dataDir: string): { seconds: number; rssMb: number } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'pglite-floor.ts'), dataDir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  const { ms, rss } = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { ms: number; rss: number };
  return { seconds: ms / 1000, rssMb: rss / 2 ** 20 };
}

const rows: Start[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-bench-start-'));
let floors: { seconds: number; rssMb: number }[] = [];
try {
  rows.push(await start('PGlite: first start (empty data directory)', { DATA_DIR: dataDir }));
  console.log(rows.at(-1));
  for (let i = 1; i <= restarts; i++) {
    rows.push(await start(`PGlite: start ${i + 1}`, { DATA_DIR: dataDir }));
    console.log(rows.at(-1));
  }
  floors = Array.from({ length: restarts }, () => floor(path.join(dataDir, 'pglite')));
  console.log('floor', floors);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
const postgres = await benchPostgres('start');
if (postgres) {
  try {
    rows.push(await start('PostgreSQL: first start (empty database)', { DATABASE_URL: postgres.url }));
    rows.push(await start('PostgreSQL: second start', { DATABASE_URL: postgres.url }));
  } finally {
    await postgres.drop?.();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const floorSeconds = median(floors.map((f) => f.seconds));
const floorMb = median(floors.map((f) => f.rssMb));
const restartSeconds = median(rows.filter((r) => /PGlite: start/.test(r.label)).map((r) => r.wallSeconds));
const markdown = [
  `Measured by \`scripts/bench/start.ts\` on ${new Date().toISOString().slice(0, 10)} (${machine()}). ` +
    "Wall time: from spawning `node --import tsx server/main.ts` (what `npm start` runs) to its `Ready:` line; phases as the server prints them. " +
    `Idle memory: the server process's resident set ${IDLE_SETTLE_MS / 1000} s after one \`/api/layers\`. ` +
    'Floor, measured in the same run on the same data directory: a bare process that only opens PGlite with PostGIS and runs one PostGIS statement.',
  table(
    ['start', 'wall s', 'phases (as printed)', 'idle RSS MB'],
    rows.map((r) => [r.label, r.wallSeconds.toFixed(1), r.phases, r.idleMb.toFixed(0)]),
  ),
  `Floor (median of ${floors.length}): PGlite + PostGIS open in ${floorSeconds.toFixed(1)} s, ${floorMb.toFixed(0)} MB resident. ` +
    `A restart of the whole server takes ${(restartSeconds / floorSeconds).toFixed(2)} × that time; ` +
    `the idle server holds ${(median(rows.filter((r) => /PGlite: start/.test(r.label)).map((r) => r.idleMb)) - floorMb).toFixed(0)} MB more than the bare database.`,
].join('\n\n');
console.log(`\n${markdown}`);
writeSection('start', `## Start-up and memory\n\n${markdown}`, performanceDoc);
