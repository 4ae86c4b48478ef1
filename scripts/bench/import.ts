// Benchmark of imports as an editor makes them, on the real server process, on both
// backends: a 10,000-point GeoJSON (≈3 MB) previewed then committed, and a ≈50 MB file
// of 10,000 detailed outlines. While each runs, /api/health and a cached layer are asked
// every 50 ms: they must keep answering. The server's resident memory is sampled from
// /proc. Reference, measured in the same run on the same backend: the same rows written
// by one set-based INSERT … SELECT FROM jsonb_to_recordset per 500 features into a plain
// table (geometry parsed, no validation, no history): the floor for getting them in.
//   npx tsx scripts/bench/import.ts [--points 10000] [--outlines 10000] [--vertices 160]
// Writes its figures to docs/PERFORMANCE.md (section "import").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Database } from '../../server/db/adapter.ts';
import { openDatabase } from '../../server/db/open.ts';
import { geodataDir } from '../../server/prepare.ts';
import { startServerProcess, type RunningServer } from '../lib/server-process.ts';
import { machine, table, writeSection } from '../reliability/report.ts';
import { benchPostgres } from './postgres.ts';
import { peakMemory, performanceDoc, residentMemory, sampleWhile, type Samples } from './sampling.ts';
import { numberOption } from './args.ts';

const pointCount = numberOption('points', 10_000);
const outlineCount = numberOption('outlines', 10_000);
// 90-gons with a long note: a file just under the 50 MB upload limit.
const vertices = numberOption('vertices', 90);
const ADMIN = { username: 'bench-admin', password: 'a long bench password' };

type Run = { what: string; status: number; seconds: number; counts: string; memoryMb: number; health: Samples; layer: Samples };
type Result = { backend: string; runs: Run[]; floorSeconds: Record<string, number> };

const properties = (i: number, extra: Record<string, unknown>) => ({
  name_vi: `Điểm thử ${i}`,
  name_en: `Test point ${i}`,
  status: 'planned',
  sources: ['SEED-001'],
  source_date: '2025-12-01',
  accuracy: 'indicative',
  ...extra,
});

/** Random points and small outlines inside the province (at least ~1 km from its edge). */
function makeFiles() {
  const province = JSON.parse(fs.readFileSync(path.join(geodataDir, 'base/lang_son_province.geojson'), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  const inner = turf.buffer(province.features[0]!, -1.5, { units: 'kilometers' })!;
  const [w, s, e, n] = turf.bbox(inner);
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const inside = () => {
    for (;;) {
      const p = [w + random() * (e - w), s + random() * (n - s)];
      if (turf.booleanPointInPolygon(p, inner)) return p as [number, number];
    }
  };
  const points: Feature[] = Array.from({ length: pointCount }, (_, i) => ({
    type: 'Feature',
    properties: properties(i, { gate_type: 'opening', transport_mode: 'road' }),
    geometry: { type: 'Point', coordinates: inside() },
  }));
  const outlines: Feature[] = Array.from({ length: outlineCount }, (_, i) => ({
    type: 'Feature',
    properties: properties(i, { kind: 'industrial_cluster', area_ha: 50, notes: 'x'.repeat(1200) }),
    geometry: turf.circle(inside(), 0.4, { steps: vertices, units: 'kilometers' }).geometry,
  }));
  return {
    points: JSON.stringify({ type: 'FeatureCollection', features: points }),
    outlines: JSON.stringify({ type: 'FeatureCollection', features: outlines }),
  };
}

async function signIn(origin: string) {
  const res = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

async function upload(server: RunningServer, session: { cookie: string; csrf: string }, what: string, layer: string, mode: 'preview' | 'commit', body: string): Promise<Run> {
  const baseline = residentMemory(server.child.pid!);
  const peak = peakMemory(server.child.pid!);
  try {
    const started = performance.now();
    const { result: res, health, layer: layerSamples } = await sampleWhile(server.origin, () =>
      fetch(`${server.origin}/api/import/${layer}/${mode}?filename=bench.geojson`, {
        method: 'POST',
        headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/geo+json' },
        body,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { counts?: Record<string, number>; error?: string; code?: string } })),
    );
    const seconds = (performance.now() - started) / 1000;
    const counts = res.body.counts ? Object.entries(res.body.counts).map(([k, v]) => `${k} ${v}`).join(', ') : `${res.body.error} ${res.body.code ?? ''}`;
    return { what: `${what}: ${mode}`, status: res.status, seconds, counts, memoryMb: (peak() - baseline) / 2 ** 20, health, layer: layerSamples };
  } finally {
    peak();
  }
}

/** The floor: the same features into a plain table, one INSERT … SELECT per 500. */
async function floor(db: Database, text: string): Promise<number> {
  const features = (JSON.parse(text) as FeatureCollection).features;
  await db.exec('DROP TABLE IF EXISTS bench_floor; CREATE TABLE bench_floor (name text, properties jsonb, geom geometry(Geometry, 4326))');
  const started = performance.now();
  await db.transaction(async (tx) => {
    for (let i = 0; i < features.length; i += 500) {
      const rows = features.slice(i, i + 500).map((f) => ({ name: f.properties!.name_vi, properties: f.properties, geometry: JSON.stringify(f.geometry) }));
      await tx.query(
        'INSERT INTO bench_floor SELECT r.name, r.properties, ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326) FROM jsonb_to_recordset($1::jsonb) AS r(name text, properties jsonb, geometry text)',
        [JSON.stringify(rows)],
      );
    }
  });
  const seconds = (performance.now() - started) / 1000;
  await db.exec('DROP TABLE bench_floor');
  return seconds;
}

type Files = ReturnType<typeof makeFiles>;

async function bench(backend: string, files: Files, env: Record<string, string>, openForFloor: () => Promise<Database>): Promise<Result> {
  const server = await startServerProcess({ PORT: '0', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...env }, { timeoutMs: 300_000 });
  const runs: Run[] = [];
  try {
    const session = await signIn(server.origin);
    const pointsMb = (Buffer.byteLength(files.points) / 2 ** 20).toFixed(1);
    const outlinesMb = (Buffer.byteLength(files.outlines) / 2 ** 20).toFixed(1);
    for (const mode of ['preview', 'commit'] as const) {
      runs.push(await upload(server, session, `${pointCount} points (${pointsMb} MB) → border_gates`, 'border_gates', mode, files.points));
      console.log(backend, runs.at(-1));
    }
    for (const mode of ['preview', 'commit'] as const) {
      runs.push(await upload(server, session, `${outlineCount} outlines of ${vertices} vertices (${outlinesMb} MB) → industrial_clusters`, 'industrial_clusters', mode, files.outlines));
      console.log(backend, runs.at(-1));
    }
  } catch (error) {
    console.error(server.output());
    throw error;
  } finally {
    await server.stop();
  }
  const db = await openForFloor();
  try {
    return { backend, runs, floorSeconds: { points: await floor(db, files.points), outlines: await floor(db, files.outlines) } };
  } finally {
    await db.close();
  }
}

const ms = (x: number) => x.toFixed(0);

function report(results: Result[]): string {
  const parts = [
    `Measured by \`scripts/bench/import.ts\` on ${new Date().toISOString().slice(0, 10)} (${machine()}). ` +
      'The real server process, signed in as an editor; while each request ran, `/api/health` and a cached layer ' +
      '(`/api/layers/industrial_parks`) were each asked every 50 ms. Memory: growth of the server\'s resident set during the request. ' +
      'Floor: the same rows written by set-based `INSERT … SELECT FROM jsonb_to_recordset` into a plain table on the same backend ' +
      '(no validation, no history) — what getting these rows into PostGIS costs at least.',
  ];
  for (const r of results) {
    parts.push(`### ${r.backend}`);
    parts.push(
      table(
        ['import', 'status', 'seconds', '× floor', 'result', 'memory +MB', 'health p50 / p95 / max ms', 'cached layer p95 / max ms'],
        r.runs.map((run) => {
          const floorSeconds = run.what.includes('points') ? r.floorSeconds.points! : r.floorSeconds.outlines!;
          return [
            run.what,
            run.status,
            run.seconds.toFixed(1),
            (run.seconds / floorSeconds).toFixed(1),
            run.counts,
            run.memoryMb.toFixed(0),
            `${ms(run.health.p50)} / ${ms(run.health.p95)} / ${ms(run.health.max)} (${run.health.count})`,
            `${ms(run.layer.p95)} / ${ms(run.layer.max)}`,
          ];
        }),
      ),
    );
    parts.push(`Floor: points ${r.floorSeconds.points!.toFixed(2)} s, outlines ${r.floorSeconds.outlines!.toFixed(2)} s.`);
  }
  return parts.join('\n\n');
}

const files = makeFiles();
const results: Result[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-bench-import-'));
try {
  results.push(
    await bench('PGlite (embedded, fsync on)', files, { DATA_DIR: dataDir }, () => openDatabase({ databaseUrl: undefined, dataDir, dbPoolMax: 1 })),
  );
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
const postgres = await benchPostgres('import');
if (postgres) {
  try {
    results.push(await bench('PostgreSQL', files, { DATABASE_URL: postgres.url }, () => openDatabase({ databaseUrl: postgres.url, dataDir: '', dbPoolMax: 2 })));
  } finally {
    await postgres.drop?.();
  }
} else console.log('PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
const markdown = report(results);
console.log(`\n${markdown}`);
writeSection('import', `## Imports\n\n${markdown}`, performanceDoc);
