// Exports and the GeoJSON of a large synthetic parcel layer, before and after streaming:
// the code at --before (taken from git) and this tree, the same requests against the
// same database, one server process at a time.
//
// Per request: time to the first and the last byte, bytes, the server's peak RSS
// (sampled from /proc every 50 ms) and /api/health latency while it runs (a probe every
// 100 ms; a stalled event loop shows here). Reference, measured in the same run: the
// database producing the same rows alone — PostgreSQL: `COPY (<the same SELECT>) TO
// STDOUT` through psql into /dev/null; PGlite: the same SELECT as one statement.
// --threshold (PostgreSQL, this tree): a bbox holding ~10k…all parcels served as one
// prepared body (LAYER_STREAM_ABOVE_FEATURES very large) and streamed (0).
//   npx tsx scripts/bench/export.ts [--parcels 100000] [--pglite-parcels 100000] [--before 2c628b4]
//     [--formats geojson,csv,kml,kmz,shapefile] [--repeat 1] [--threshold] [--no-pglite] [--no-before]
// PostgreSQL: BENCH_DATABASE_URL, or a throw-away database made via TEST_DATABASE_URL.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { openDatabase } from '../../server/db/open.ts';
import { buildLayerQueries } from '../../server/layers/queries.ts';
import { findLayer } from '../../server/layers/registry.ts';
import { prepareDatabase } from '../../server/prepare.ts';
import { exportSql } from '../../server/transfer/queries.ts';
import { extractTree, repoRoot, startServerProcess, type RunningServer } from '../lib/server-process.ts';
import { peakMemory, poll, residentMemory, type Samples } from './sampling.ts';
import { loadSyntheticParcels } from '../parcels/province.ts';
import { benchPostgres } from './postgres.ts';
import { option } from './args.ts';

const parcelCount = Number(option('parcels') ?? 100_000);
const pgliteCount = Number(option('pglite-parcels') ?? 100_000);
const beforeRev = option('before') ?? '2c628b4';
const formats = (option('formats') ?? 'geojson,csv,kml,kmz,shapefile').split(',');
const repeat = Number(option('repeat') ?? 1);
const parcels = findLayer('parcels')!;

type Run = {
  status: number;
  error?: string;
  seconds: number;
  firstByte: number;
  bytes: number;
  etag: string | undefined;
  rssBefore: number;
  peakRss: number;
  health: Samples;
};

const mb = (bytes: number) => bytes / 1024 / 1024;

async function measure(server: RunningServer, requestPath: string, headers: Record<string, string> = {}): Promise<Run> {
  const pid = server.child.pid!;
  const rssBefore = residentMemory(pid);
  const stopRss = peakMemory(pid);
  const stopHealth = poll(server.origin, '/api/health', 100);
  const started = performance.now();
  let status = -1;
  let bytes = 0;
  let firstByte = NaN;
  let etag: string | undefined;
  let error: string | undefined;
  try {
    const res = await request(`${server.origin}${requestPath}`, { headers, headersTimeout: 0, bodyTimeout: 0 });
    status = res.statusCode;
    etag = res.headers.etag as string | undefined;
    for await (const chunk of res.body) {
      if (!bytes) firstByte = (performance.now() - started) / 1000;
      bytes += (chunk as Buffer).length;
    }
  } catch (e) {
    error = (e as Error).message; // a connection refused or cut short: status -1
  }
  const seconds = (performance.now() - started) / 1000;
  return { status, error, seconds, firstByte, bytes, etag, rssBefore, peakRss: stopRss(), health: await stopHealth() };
}

// `once`: the first request builds what later ones may find cached: each is run once, in order.
type Request = { label: string; path: string; headers?: Record<string, string>; revalidate?: boolean; once?: boolean };

const gzip = { 'accept-encoding': 'gzip' };
const requests = (): Request[] => [
  ...formats.map((f) => ({ label: `export ${f}`, path: `/api/export/parcels?format=${f}` })),
  { label: 'export geojson, gzip', path: '/api/export/parcels?format=geojson', headers: gzip },
  { label: 'layers/parcels, gzip', path: '/api/layers/parcels', headers: gzip, once: true },
  { label: 'layers/parcels again', path: '/api/layers/parcels', headers: gzip, once: true },
  { label: 'layers/parcels, 304', path: '/api/layers/parcels', headers: gzip, revalidate: true, once: true },
];

/** Each request against one server process of the tree; then the next tree. */
async function runTree(tree: string, env: Record<string, string>): Promise<Map<string, Run>> {
  const server = await startServerProcess({ PORT: '0', ...env }, { root: tree, timeoutMs: 600_000 });
  const runs = new Map<string, Run>();
  try {
    await measure(server, '/api/health');
    let etag: string | undefined;
    for (const r of requests()) {
      const headers = r.revalidate && etag ? { ...r.headers, 'if-none-match': etag } : (r.headers ?? {});
      let run = await measure(server, r.path, headers);
      // Others share the machine: of several runs, the fastest is the least disturbed.
      for (let i = 1; i < (r.once ? 1 : repeat); i++) {
        const again = await measure(server, r.path, headers);
        if (again.seconds < run.seconds) run = again;
      }
      if (r.label.startsWith('layers')) etag = run.etag ?? etag;
      runs.set(r.label, run);
      console.log(`  ${r.label}: ${run.status} in ${run.seconds.toFixed(1)} s${run.error ? ` (${run.error})` : ''}`);
    }
    // A server that went away says why in its last lines.
    if ([...runs.values()].some((r) => r.status === -1)) console.log(server.output().split('\n').slice(-15).join('\n'));
  } finally {
    await server.stop();
  }
  return runs;
}

const cell = (r: Run | undefined) =>
  r
    ? `${String(r.status).padStart(4)} ${r.seconds.toFixed(1).padStart(6)} ${(Number.isNaN(r.firstByte) ? '-' : r.firstByte.toFixed(1)).padStart(6)} ${mb(r.bytes).toFixed(0).padStart(5)} ` +
      `${mb(r.peakRss).toFixed(0).padStart(6)} ${mb(r.peakRss - r.rssBefore).toFixed(0).padStart(6)} ${r.health.p50.toFixed(0).padStart(5)} ${r.health.max.toFixed(0).padStart(6)}` +
      (r.health.failures ? ` (${r.health.failures} health failed)` : '')
    : '';

function print(title: string, reference: { export: number; layer: number }, before: Map<string, Run> | null, after: Map<string, Run>) {
  console.log(`\n${title}`);
  console.log(`reference (the database alone, same rows): export SELECT ${reference.export.toFixed(1)} s, layer features ${reference.layer.toFixed(1)} s`);
  const head = 'stat      s  1st-b    MB  RSSpk  +RSS  hp50  hmax';
  console.log(`${''.padEnd(22)} | before: ${head} | after:  ${head} | after/ref`);
  for (const r of requests()) {
    const a = after.get(r.label);
    const ref = r.label.startsWith('export') ? reference.export : reference.layer;
    const ratio = a && a.status === 200 ? (a.seconds / ref).toFixed(2) : '-';
    console.log(`${r.label.padEnd(22)} |         ${cell(before?.get(r.label)).padEnd(head.length)} |         ${cell(a).padEnd(head.length)} | ${ratio.padStart(6)}`);
  }
  console.log('(s: to the last byte; 1st-b: to the first byte; RSSpk: server peak RSS MB; +RSS: above its RSS before the request; hp50/hmax: /api/health ms during the request)');
}

const exportSelect = () => `${exportSql(parcels, 'public').sql} ORDER BY t.id`;
const layerSelect = () => `${buildLayerQueries(parcels, 'public').features} ORDER BY t.id`;

function copySeconds(url: string, select: string): number {
  const devNull = fs.openSync('/dev/null', 'w');
  const started = performance.now();
  const done = spawnSync('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `COPY (${select}) TO STDOUT`], { stdio: ['ignore', devNull, 'inherit'] });
  fs.closeSync(devNull);
  if (done.status !== 0) throw new Error('psql COPY failed');
  return (performance.now() - started) / 1000;
}

async function threshold(url: string) {
  const db = await openDatabase({ databaseUrl: url, dataDir: '', dbPoolMax: 1 });
  const [extent] = await db.query<{ total: number; xmin: number; ymin: number; ymax: number }>(
    'SELECT count(*)::int AS total, min(ST_XMin(geom)) AS xmin, min(ST_YMin(geom)) AS ymin, max(ST_YMax(geom)) AS ymax FROM parcels',
  );
  const { total, xmin, ymin, ymax } = extent!;
  // West-to-east strips holding about n parcels each.
  const sizes = [10_000, 25_000, 50_000, 100_000, 200_000].filter((n) => n < total).concat(total);
  const boxes: { n: number; bbox: string }[] = [];
  for (const n of sizes) {
    const [edge] = await db.query<{ x: number }>('SELECT percentile_disc($1) WITHIN GROUP (ORDER BY ST_XMax(geom)) AS x FROM parcels', [n / total]);
    boxes.push({ n, bbox: [xmin - 0.001, ymin - 0.001, edge!.x, ymax + 0.001].join(',') });
  }
  await db.close();
  const results = new Map<string, Run[]>();
  for (const [label, above] of [['one prepared body', '100000000'], ['streamed', '0']] as const) {
    const server = await startServerProcess({ PORT: '0', DATABASE_URL: url, LAYER_STREAM_ABOVE_FEATURES: above }, { timeoutMs: 600_000 });
    try {
      await measure(server, '/api/health');
      const runs: Run[] = [];
      for (const b of boxes) runs.push(await measure(server, `/api/layers/parcels?bbox=${b.bbox}`, { 'accept-encoding': 'gzip' }));
      results.set(label, runs);
    } finally {
      await server.stop();
    }
  }
  console.log(`\nLayer GeoJSON by size (PostgreSQL, this tree, gzip accepted, a cache miss each): one prepared body vs streamed`);
  const head = 'stat      s  1st-b    MB  RSSpk  +RSS  hp50  hmax';
  console.log(`features   | one body: ${head} | streamed: ${head}`);
  boxes.forEach((b, i) => {
    console.log(`${String(b.n).padStart(10)} |           ${cell(results.get('one prepared body')![i])} |           ${cell(results.get('streamed')![i])}`);
  });
  console.log('(MB: gzipped bytes sent)');
}

const before = process.argv.includes('--no-before') ? null : extractTree(beforeRev);
try {
  const postgres = await benchPostgres('export');
  if (!postgres) console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  else {
    try {
      const db = await prepareDatabase({ databaseUrl: postgres.url, dataDir: '', dbPoolMax: 2 }, () => {});
      const started = performance.now();
      await loadSyntheticParcels(db, { count: parcelCount });
      await db.close();
      console.log(`PostgreSQL: loaded ${parcelCount} parcels in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      const reference = { export: copySeconds(postgres.url, exportSelect()), layer: copySeconds(postgres.url, layerSelect()) };
      const env = { DATABASE_URL: postgres.url };
      const beforeRuns = before ? (console.log(`before (${beforeRev}):`), await runTree(before, env)) : null;
      console.log('after (this tree):');
      const afterRuns = await runTree(repoRoot, env);
      print(`PostgreSQL 15, ${parcelCount} parcels`, reference, beforeRuns, afterRuns);
      if (process.argv.includes('--threshold')) await threshold(postgres.url);
    } finally {
      await postgres.drop?.();
    }
  }
  if (!process.argv.includes('--no-pglite')) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-bench-export-'));
    try {
      const db = await prepareDatabase({ databaseUrl: undefined, dataDir, dbPoolMax: 1 }, () => {});
      const started = performance.now();
      await loadSyntheticParcels(db, { count: pgliteCount });
      console.log(`PGlite: loaded ${pgliteCount} parcels in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      const time = async (sql: string) => {
        const t = performance.now();
        await db.query(sql);
        return (performance.now() - t) / 1000;
      };
      const reference = { export: await time(exportSelect()), layer: await time(layerSelect()) };
      await db.close();
      const env = { DATA_DIR: dataDir };
      const beforeRuns = before ? (console.log(`before (${beforeRev}):`), await runTree(before, env)) : null;
      console.log('after (this tree):');
      const afterRuns = await runTree(repoRoot, env);
      print(`PGlite (embedded), ${pgliteCount} parcels`, reference, beforeRuns, afterRuns);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
} finally {
  if (before) fs.rmSync(before, { recursive: true, force: true });
}
