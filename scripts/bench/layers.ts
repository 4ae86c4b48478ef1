// Benchmark of the read API (layers, search, proximity) under 50 concurrent connections,
// on both backends.
// Reference, measured in the same run for every route: a bare node:http server in its
// own process sending the very same bytes (scripts/bench/reference-server.ts). On a
// 2-core machine that also runs the load generator, that is the floor; the ratio
// p95/ref is what Express, routing and our code add on top of it.
//   npx tsx scripts/bench/layers.ts [--seconds 10] [--connections 50]
// PostgreSQL: BENCH_DATABASE_URL, or a throw-away database made via TEST_DATABASE_URL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runLoad, type LoadResult } from './load.ts';
import { benchPostgres } from './postgres.ts';
import { startServerProcess } from '../lib/server-process.ts';
import { numberOption } from './args.ts';

const seconds = numberOption('seconds', 10);
const connections = numberOption('connections', 50);
const paths = [
  '/api/layers/industrial_clusters',
  '/api/layers/border_gates',
  '/api/layers/communes',
  '/api/layers',
  '/api/search?q=na%20duong',
  '/api/analysis/proximity?layer=industrial_clusters&id=ccn-na-duong-2',
  '/api/health',
];

type Row = { ours: LoadResult; reference: LoadResult };

const load = (origin: string, path: string, s = seconds) =>
  runLoad(origin, path, { connections, seconds: s, headers: { 'accept-encoding': 'gzip' } });

async function bench(label: string, env: Record<string, string>): Promise<Row[]> {
  const server = await startServerProcess({ PORT: '0', ...env });
  try {
    const rows: Row[] = [];
    for (const p of paths) {
      const reference = await startServerProcess({}, { script: 'scripts/bench/reference-server.ts', args: [server.origin + p] });
      try {
        await load(server.origin, p, 1); // warm caches and JIT
        await load(reference.origin, p, 1);
        rows.push({ ours: await load(server.origin, p), reference: await load(reference.origin, p) });
      } finally {
        await reference.stop();
      }
    }
    print(label, rows);
    return rows;
  } finally {
    await server.stop();
  }
}

function print(label: string, rows: Row[]) {
  console.log(`\n${label}: ${connections} connections, ${seconds} s per route (gzip accepted)`);
  console.log('route                              req/s   p50 ms   p95 ms   p99 ms errors   bytes | ref req/s ref p95  p95/ref');
  for (const { ours: r, reference: ref } of rows) {
    console.log(
      `${r.path.padEnd(33)} ${r.rps.toFixed(0).padStart(6)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)} ` +
        `${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(6)} ${r.bytesPerResponse.toFixed(0).padStart(7)} | ` +
        `${ref.rps.toFixed(0).padStart(9)} ${ref.p95.toFixed(2).padStart(7)} ${(r.p95 / ref.p95).toFixed(2).padStart(8)}`,
    );
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-bench-'));
try {
  await bench('PGlite (embedded)', { DATA_DIR: dataDir });
  const postgres = await benchPostgres('layers');
  if (postgres) {
    try {
      await bench('PostgreSQL', { DATABASE_URL: postgres.url, DB_POOL_MAX: '20' });
    } finally {
      await postgres.drop?.();
    }
  } else console.log('\nPostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
