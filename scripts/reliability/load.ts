// Load test: the real server (a child process) under a mixed read load — layer GeoJSON,
// vector tiles, search and OGC API items, all at once — from autocannon, for a fixed
// time: 200 connections against PostgreSQL, 50 against the embedded PGlite. Reports
// per route the requests, p50/p95/p99 latency, errors (anything but 2xx/304, and
// connection errors or timeouts) and requests shed with 503 by admission control, and
// writes them into docs/RELIABILITY.md (section "load").
//   npx tsx scripts/reliability/load.ts [--seconds 60] [--backend pglite|postgres|both] [--no-write]
// PostgreSQL: BENCH_DATABASE_URL, or a throw-away database made via TEST_DATABASE_URL.
// Not a test: it takes minutes and its figures depend on the machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../../server/config.ts';
import { layers } from '../../server/layers/registry.ts';
import { benchPostgres } from '../bench/postgres.ts';
import { startServerProcess } from '../lib/server-process.ts';
import { tileAt } from '../lib/tile-math.ts';
import { machine, table, writeSection } from './report.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(arg('seconds') ?? 60);
const backends = (arg('backend') ?? 'both') === 'both' ? ['pglite', 'postgres'] : [arg('backend')!];
const write = !process.argv.includes('--no-write');

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

// Tiles over the province at the zooms a map shows it (8–14): a few thousand distinct
// ones, so the load mixes cache misses (built by the database) and hits.
const tiles = (() => {
  const out: string[] = [];
  for (let z = 8; z <= 14; z++) {
    const a = tileAt(106.1, 22.45, z);
    const b = tileAt(107.35, 21.35, z);
    for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) out.push(`${z}/${x}/${y}`);
  }
  return out;
})();
// What the map loads: the thematic layers and the communes, from the registry.
const mapLayers = layers.filter((l) => l.group === 'thematic' && l.delivery !== 'tiles').map((l) => l.id).concat('communes');
const tileLayers = mapLayers;
const geojsonLayers = mapLayers;
const searches = ['na duong', 'Đồng Đăng', 'huu nghi', 'kcn', 'cụm công nghiệp', 'tan thanh', 'lang son', 'cao loc', 'chi lang', 'x'];
const ogcCollections = mapLayers;

type Route = { name: string; share: number; path: () => string };
const routes: Route[] = [
  { name: 'GET /api/layers/:id (GeoJSON)', share: 0.3, path: () => `/api/layers/${pick(geojsonLayers)}` },
  { name: 'GET /tiles/:layer/:z/:x/:y.mvt', share: 0.3, path: () => `/tiles/${pick(tileLayers)}/${pick(tiles)}.mvt` },
  { name: 'GET /api/search?q=', share: 0.2, path: () => `/api/search?q=${encodeURIComponent(pick(searches))}` },
  { name: 'GET /ogc/collections/:id/items', share: 0.2, path: () => `/ogc/collections/${pick(ogcCollections)}/items?limit=${pick([10, 50, 100])}&offset=${pick([0, 10, 20, 40])}&f=json` },
];

type RouteResult = {
  name: string;
  connections: number;
  requests: number;
  ok: number;
  shed: number;
  errors: number;
  /** What the errors were: status codes, and the messages of failed requests (timeouts included). */
  causes: Map<string, number>;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
};

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

/** One autocannon instance per route, all running at once: one mixed load, figures per route. */
async function mixedLoad(origin: string, connections: number): Promise<RouteResult[]> {
  const runs = routes.map((route) => {
    const share = Math.max(1, Math.round(connections * route.share));
    const times: number[] = [];
    let ok = 0;
    let shed = 0;
    let failed = 0;
    const causes = new Map<string, number>();
    const cause = (text: string) => causes.set(text, (causes.get(text) ?? 0) + 1);
    return new Promise<RouteResult>((resolve, reject) => {
      const instance = autocannon(
        {
          url: origin,
          connections: share,
          duration: seconds,
          timeout: 30,
          headers: { 'accept-encoding': 'gzip' },
          requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: route.path() }) }],
        },
        (error, result) => {
          if (error) return reject(error);
          times.sort((a, b) => a - b);
          resolve({
            name: route.name,
            connections: share,
            requests: times.length,
            ok,
            shed,
            // Connection errors and timeouts never produce a response: autocannon counts
            // them (a timeout is one of its errors).
            errors: failed + result.errors,
            causes,
            p50: percentile(times, 50),
            p95: percentile(times, 95),
            p99: percentile(times, 99),
            rps: times.length / seconds,
          });
        },
      );
      instance.on('response', (_client, status, _bytes, ms) => {
        times.push(ms);
        if (status === 503) shed++;
        else if ((status >= 200 && status < 300) || status === 304) ok++;
        else {
          failed++;
          cause(`HTTP ${status}`);
        }
      });
      instance.on('reqError', (error) => cause(String((error as Error)?.message ?? error)));
    });
  });
  return Promise.all(runs);
}

type BackendResult = { label: string; connections: number; results: RouteResult[]; serverShed: number; alive: boolean };

async function run(label: string, env: Record<string, string>, connections: number): Promise<BackendResult> {
  const server = await startServerProcess({ PORT: '0', LOG_LEVEL: 'warn', ...env });
  try {
    // Warm-up: JIT, prepared bodies and the search index, as after a few minutes of use.
    await mixedLoadFor(server.origin, 10, 3);
    console.log(`${label}: ${connections} connections, ${seconds} s…`);
    const results = await mixedLoad(server.origin, connections);
    const health = (await (await fetch(`${server.origin}/api/health`)).json()) as { load: { shed: number } };
    return { label, connections, results, serverShed: health.load.shed, alive: server.child.exitCode === null };
  } finally {
    await server.stop();
  }
}

async function mixedLoadFor(origin: string, connections: number, s: number) {
  await autocannon({ url: origin, connections, duration: s, requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: pick(routes).path() }) }] });
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');

function markdown(all: BackendResult[]): string {
  const config = loadConfig({});
  const parts = [
    '## Load',
    '',
    `Generated by \`npx tsx scripts/reliability/load.ts\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`,
    '',
    `Mixed read load for ${seconds} s: four autocannon instances at once, one per route, with ${routes.map((r) => `${Math.round(r.share * 100)} %`).join(' / ')} of the connections ` +
      `(layer GeoJSON of the ${mapLayers.length} layers the map loads — ${mapLayers.join(', ')}; their tiles over the province at zooms 8–14, ${tiles.length * tileLayers.length} distinct; search among ${searches.length} terms; OGC items pages of the same layers). ` +
      `Server defaults: MAX_IN_FLIGHT ${config.admission.maxInFlight}, MAX_QUEUED ${config.admission.maxQueued}, QUEUE_TIMEOUT_MS ${config.admission.queueTimeoutMs}, DB_POOL_MAX ${config.dbPoolMax}. ` +
      '**The load generator runs on the same cores as the server (and its database)**: the figures are a floor for a dedicated server, not a capacity.',
    '',
    'Errors: answers other than 2xx/304 and 503, plus connection errors and timeouts (30 s). Shed: 503 from admission control (with Retry-After), counted by the client and by the server. ' +
      'Latencies are of answered requests only; autocannon does not count requests still open when the time is up.',
  ];
  for (const b of all) {
    const total = (key: 'requests' | 'ok' | 'shed' | 'errors') => b.results.reduce((n, r) => n + r[key], 0);
    parts.push(
      '',
      `### ${b.label}: ${b.connections} connections`,
      '',
      table(
        ['route', 'connections', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'shed (503)'],
        b.results.map((r) => [r.name, r.connections, r.requests, r.rps.toFixed(0), ms(r.p50), ms(r.p95), ms(r.p99), r.errors, r.shed]),
      ),
      '',
      `Total: ${total('requests')} requests, ${total('ok')} served, **${total('errors')} errors**, ${total('shed')} shed (server's count: ${b.serverShed}); ` +
        `server ${b.alive ? 'still running after the run' : '**not running after the run**'}.`,
    );
    const causes = b.results.flatMap((r) => [...r.causes].map(([text, n]) => `${r.name}: ${n} × ${text}`));
    if (causes.length) parts.push('', `Errors: ${causes.join('; ')}.`);
  }
  return parts.join('\n');
}

const connectionsFor = { pglite: 50, postgres: 200 } as Record<string, number>;
const all: BackendResult[] = [];
for (const backend of backends) {
  if (backend === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-load-'));
    try {
      all.push(await run('PGlite (embedded)', { DATA_DIR: dataDir }, connectionsFor.pglite!));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  } else {
    const database = await benchPostgres('load');
    if (!database) {
      console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
      continue;
    }
    try {
      all.push(await run('PostgreSQL', { DATABASE_URL: database.url }, connectionsFor.postgres!));
    } finally {
      await database.drop?.();
    }
  }
}
const text = markdown(all);
console.log(`\n${text}`);
if (write) writeSection('load', text);
