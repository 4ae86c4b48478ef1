// Benchmark of heavy work, on both backends. Two figures per server:
// - single: the median time of one analysis at a time, for whole-layer origins;
// - load: N clients, each its own address (X-Forwarded-For, TRUST_PROXY=true), repeat a
//   whole-layer analysis while one bystander client times /api/health, a cached layer
//   and a light analysis that queries the database, one request after another.
// Reference, measured in the same run: the bystanders on the idle server; p95 loaded/idle
// is what the heavy load costs everyone else. With --before <git ref>, the same is
// measured on that version of the server (extracted from git into a temporary
// directory), on the same database, right after.
//   npx tsx scripts/bench/heavy.ts [--seconds 10] [--connections 4] [--before <ref>]
// PostgreSQL: BENCH_DATABASE_URL, or a throw-away database made via TEST_DATABASE_URL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { percentiles } from './load.ts';
import { benchPostgres } from './postgres.ts';
import { extractTree, startServerProcess } from '../lib/server-process.ts';
import { option } from './args.ts';

const seconds = Number(option('seconds') ?? 10);
const connections = Number(option('connections') ?? 4);
const before = option('before');

const LOAD = '/api/analysis/within?from=communes&radius_km=500';
const SINGLE = ['/api/analysis/within?from=communes&radius_km=500', '/api/analysis/within?from=border_gates&radius_km=20', '/api/analysis/within?from=expressways&radius_km=10'];
const BYSTANDERS: [name: string, path: string][] = [
  ['health', '/api/health'],
  ['cached layer', '/api/layers/industrial_parks'],
  ['light analysis (database)', '/api/analysis/proximity?layer=industrial_clusters&id=ccn-na-duong-2'],
];
const SINGLE_RUNS = 5;

type Timed = { latencies: number[]; statuses: Record<number, number> };
const timed = (): Timed => ({ latencies: [], statuses: {} });

let nextAddress = 0;
/** A caller of its own: the per-address rate applies to each separately. */
const newAddress = () => ({ 'x-forwarded-for': `10.${(nextAddress >> 16) & 255}.${(nextAddress >> 8) & 255}.${nextAddress++ & 255}` });

async function send(pool: Pool, path: string, headers: Record<string, string>, into: Timed): Promise<void> {
  const started = performance.now();
  try {
    const res = await pool.request({ method: 'GET', path, headers });
    await res.body.arrayBuffer();
    into.statuses[res.statusCode] = (into.statuses[res.statusCode] ?? 0) + 1;
  } catch {
    into.statuses[0] = (into.statuses[0] ?? 0) + 1;
  }
  into.latencies.push(performance.now() - started);
}

/** The bystanders, one after another until `done()`; and, when loaded, N heavy clients. */
async function phase(origin: string, loaded: boolean) {
  const pool = new Pool(origin, { connections: connections + 1 });
  const deadline = performance.now() + seconds * 1000;
  const done = () => performance.now() >= deadline;
  const heavy = timed();
  const bystanders = BYSTANDERS.map(() => timed());
  const heavyClient = async () => {
    const headers = newAddress();
    while (!done()) await send(pool, LOAD, headers, heavy);
  };
  const bystander = async () => {
    const headers = newAddress();
    while (!done()) for (const [i, [, p]] of BYSTANDERS.entries()) await send(pool, p, headers, bystanders[i]!);
  };
  await Promise.all([bystander(), ...(loaded ? Array.from({ length: connections }, heavyClient) : [])]);
  await pool.close();
  return { heavy, bystanders };
}

async function single(origin: string): Promise<number[]> {
  const pool = new Pool(origin, { connections: 1 });
  const medians: number[] = [];
  for (const p of SINGLE) {
    const t = timed();
    await send(pool, p, newAddress(), timed()); // warm: caches, JIT
    for (let i = 0; i < SINGLE_RUNS; i++) await send(pool, p, newAddress(), t);
    medians.push(percentiles(t.latencies)(50));
  }
  await pool.close();
  return medians;
}

type Figures = { label: string; single: number[]; idle: Timed[]; loaded: { heavy: Timed; bystanders: Timed[] } };

async function measure(label: string, env: Record<string, string>, root?: string): Promise<Figures> {
  const server = await startServerProcess({ PORT: '0', LOG_LEVEL: 'warn', TRUST_PROXY: 'true', ...env }, { root, timeoutMs: 300_000 });
  try {
    const singleFigures = await single(server.origin);
    const idle = (await phase(server.origin, false)).bystanders;
    const loaded = await phase(server.origin, true);
    return { label, single: singleFigures, idle, loaded };
  } finally {
    await server.stop();
  }
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 1 : 0) : '–').padStart(7);
const statuses = (t: Timed) => Object.entries(t.statuses).map(([s, n]) => `${s === '0' ? 'failed' : s}: ${n}`).join(', ');

function print(backend: string, all: Figures[]) {
  console.log(`\n${backend}; bystanders: ${BYSTANDERS.map(([name, p]) => `${name} = ${p}`).join(', ')}`);
  console.log(`  one at a time (median of ${SINGLE_RUNS}, ms)`);
  for (const [i, p] of SINGLE.entries()) console.log(`    ${p.padEnd(56)} ${all.map((f) => `${f.label} ${ms(f.single[i]!)}`).join('   ')}`);
  for (const f of all) {
    const h = percentiles([...f.loaded.heavy.latencies]);
    console.log(`  ${f.label}: ${connections} clients × ${LOAD} for ${seconds} s → ${f.loaded.heavy.latencies.length} answers (${statuses(f.loaded.heavy)}), p50 ${ms(h(50)).trim()} ms, p95 ${ms(h(95)).trim()} ms`);
    console.log('    bystander (ms)              idle p50 idle p95 | load p50 load p95 load max | p95 load/idle');
    for (const [i, [name]] of BYSTANDERS.entries()) {
      const idle = percentiles([...f.idle[i]!.latencies]);
      const load = percentiles([...f.loaded.bystanders[i]!.latencies]);
      const max = Math.max(...f.loaded.bystanders[i]!.latencies);
      console.log(`    ${name.padEnd(26)} ${ms(idle(50))} ${ms(idle(95))}   ${ms(load(50))} ${ms(load(95))} ${ms(max)}   ${(load(95) / idle(95)).toFixed(1).padStart(8)}`);
    }
  }
}

const beforeRoot = before ? extractTree(before) : undefined;
async function versions(env: Record<string, string>): Promise<Figures[]> {
  const all = [await measure('after', env)];
  if (beforeRoot) all.push(await measure(`before (${before})`, env, beforeRoot));
  return all;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-bench-heavy-'));
try {
  print('PGlite (embedded)', await versions({ DATA_DIR: dataDir }));
  const postgres = await benchPostgres('heavy');
  if (postgres) {
    try {
      print('PostgreSQL', await versions({ DATABASE_URL: postgres.url, DB_POOL_MAX: '10' }));
    } finally {
      await postgres.drop?.();
    }
  } else console.log('\nPostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (beforeRoot) fs.rmSync(beforeRoot, { recursive: true, force: true });
}
