// Vector tiles and OGC items of a large synthetic parcel layer, on PostgreSQL.
//
// Tiles: for a fixed set of tiles at zooms 8–16 (those under sampled parcels), the
// reference is the raw SQL — the very ST_AsMVT query the server runs — sent through a
// node-postgres pool; then the server's HTTP time for the same tiles with the same
// concurrency. Before every server pass the parcels' revision is bumped (an UPDATE that
// changes no row still fires the revision trigger), so every request is a cache miss:
// the ratio is what HTTP, routing, validation, ETag and gzip add to the SQL.
// Goal: server p50 ≤ 1.15 × raw p50; p95 < 50 ms at z ≥ 12 for 100k parcels.
//
// Items: 50 clients reading 100-feature pages at random offsets (distinct URLs, so
// uncached), then one page over and over (cached).
//   npx tsx scripts/bench/tiles.ts [--parcels 100000] [--zooms 8-16] [--tiles 24] [--concurrency 8] [--passes 3] [--seconds 10]
// PostgreSQL: BENCH_DATABASE_URL, or a throw-away database made via TEST_DATABASE_URL.
import pg from 'pg';
import { Pool } from 'undici';
import { findLayer } from '../../server/layers/registry.ts';
import { SESSION_OPTIONS } from '../../server/db/postgres.ts';
import { prepareDatabase } from '../../server/prepare.ts';
import { PostgisEncoder } from '../../server/tiles/encoders.ts';
import type { TileAddress } from '../../server/tiles/queries.ts';
import { startServerProcess } from '../lib/server-process.ts';
import { tileAt } from '../lib/tile-math.ts';
import { loadSyntheticParcels } from '../parcels/province.ts';
import { percentiles, runEach, runLoad } from './load.ts';
import { benchPostgres } from './postgres.ts';
import { numberOption } from './args.ts';

const parcelCount = numberOption('parcels', 100_000);
const tilesPerZoom = numberOption('tiles', 24);
const concurrency = numberOption('concurrency', 8);
const passes = numberOption('passes', 3);
const seconds = numberOption('seconds', 10);
const zoomArg = process.argv.includes('--zooms') ? process.argv[process.argv.indexOf('--zooms') + 1]! : '8-16';
const [fromZoom, toZoom] = zoomArg.split('-').map(Number) as [number, number];
const zooms = Array.from({ length: toZoom - fromZoom + 1 }, (_, i) => fromZoom + i);
const parcels = findLayer('parcels')!;

async function load(url: string) {
  const db = await prepareDatabase({ databaseUrl: url, dataDir: '', dbPoolMax: 2 }, () => {});
  try {
    const started = performance.now();
    await loadSyntheticParcels(db, { count: parcelCount });
    console.log(`loaded ${parcelCount} parcels through the bulk import in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.close();
  }
}

/** Up to `tilesPerZoom` distinct tiles per zoom, under parcels spread over the province. */
async function tileSet(client: pg.Pool): Promise<Map<number, TileAddress[]>> {
  const { rows } = await client.query<{ lon: number; lat: number }>(
    `SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(geom) AS c, row_number() OVER (ORDER BY id) AS n FROM parcels) s
     WHERE n % (SELECT greatest(1, count(*) / $1) FROM parcels) = 0 ORDER BY n`,
    [tilesPerZoom * 4],
  );
  const set = new Map<number, TileAddress[]>();
  for (const z of zooms) {
    const unique = new Map(rows.map((r) => tileAt(r.lon, r.lat, z)).map((t) => [`${t.x}/${t.y}`, t]));
    set.set(z, [...unique.values()].slice(0, tilesPerZoom));
  }
  return set;
}

type Stats = { p50: number; p95: number };
const stats = (latencies: number[]): Stats => {
  const pct = percentiles(latencies);
  return { p50: pct(50), p95: pct(95) };
};

async function benchTiles(url: string, origin: string) {
  const client = new pg.Pool({ connectionString: url, max: concurrency, options: SESSION_OPTIONS });
  const http = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const encoder = new PostgisEncoder();
  const db = { query: async (sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows, exec: async () => {} };
  const fetchTile = async (t: TileAddress) => {
    const res = await http.request({ path: `/tiles/parcels/${t.z}/${t.x}/${t.y}.mvt`, method: 'GET', headers: { 'accept-encoding': 'gzip' } });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200 && res.statusCode !== 204) throw new Error(`tile ${t.z}/${t.x}/${t.y}: ${res.statusCode}`);
  };
  try {
    const set = await tileSet(client);
    console.log(`\nTiles of ${parcelCount} parcels: ${concurrency} concurrent requests, ${passes} passes, every server request a cache miss`);
    // "cached p50": the same tiles served from the server's cache — the HTTP round trip
    // alone on this machine; "+ms p50": what a miss adds to the raw query, in ms.
    console.log(' z  tiles  features/tile  KB/tile | raw p50  raw p95 | http p50 http p95 | p50 ratio p95 ratio | +ms p50 | cached p50');
    for (const z of zooms) {
      const tiles = set.get(z)!;
      const raw: number[] = [];
      const served: number[] = [];
      let bytes = 0;
      let features = 0;
      for (const t of tiles) {
        const tile = await encoder.encode(db, parcels, t);
        bytes += tile.length;
        const [row] = await db.query(
          'SELECT count(*)::int AS n FROM parcels WHERE geom && ST_Transform(ST_TileEnvelope($1, $2, $3), 4326)',
          [t.z, t.x, t.y],
        );
        features += (row as { n: number }).n;
      }
      for (let pass = 0; pass < passes; pass++) {
        raw.push(...(await runEach(tiles, concurrency, async (t) => void (await encoder.encode(db, parcels, t)))));
        await client.query('UPDATE parcels SET land_use = land_use WHERE false');
        await new Promise((resolve) => setTimeout(resolve, 100)); // let the NOTIFY reach the server
        served.push(...(await runEach(tiles, concurrency, fetchTile)));
      }
      const cached = stats(await runEach(tiles, concurrency, fetchTile));
      const r = stats(raw);
      const s = stats(served);
      console.log(
        `${String(z).padStart(2)} ${String(tiles.length).padStart(6)} ${(features / tiles.length).toFixed(0).padStart(14)} ${(bytes / tiles.length / 1024).toFixed(1).padStart(8)} | ` +
          `${r.p50.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(8)} | ${s.p50.toFixed(1).padStart(8)} ${s.p95.toFixed(1).padStart(8)} | ` +
          `${(s.p50 / r.p50).toFixed(2).padStart(9)} ${(s.p95 / r.p95).toFixed(2).padStart(9)} | ${(s.p50 - r.p50).toFixed(1).padStart(7)} | ${cached.p50.toFixed(1).padStart(10)}`,
      );
    }
  } finally {
    await http.close();
    await client.end();
  }
}

async function benchItems(origin: string) {
  const pages = Math.max(1, Math.floor(parcelCount / 100));
  const random = () => `/ogc/collections/parcels/items?limit=100&offset=${Math.floor(Math.random() * (pages * 100 - 100))}`;
  const options = { connections: 50, seconds, headers: { 'accept-encoding': 'gzip' } };
  await runLoad(origin, random, { ...options, seconds: 2 });
  const uncached = await runLoad(origin, random, options);
  const cached = await runLoad(origin, '/ogc/collections/parcels/items?limit=100&offset=5000', options);
  console.log(`\nOGC items, 100-feature pages of ${parcelCount} parcels, 50 clients, ${seconds} s`);
  console.log('                          req/s   p50 ms   p95 ms   p99 ms errors  KB/page');
  for (const [label, r] of [['random offsets (uncached)', uncached], ['one page (cached)', cached]] as const) {
    console.log(
      `${label.padEnd(25)} ${r.rps.toFixed(0).padStart(6)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.errors).padStart(6)} ${(r.bytesPerResponse / 1024).toFixed(1).padStart(8)}`,
    );
  }
}

const postgres = await benchPostgres('tiles');
if (!postgres) {
  console.log('PostgreSQL needed: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
  process.exit(1);
}
try {
  await load(postgres.url);
  const server = await startServerProcess({ PORT: '0', DATABASE_URL: postgres.url, DB_POOL_MAX: String(Math.max(concurrency, 10)) });
  try {
    await benchTiles(postgres.url, server.origin);
    await benchItems(server.origin);
  } finally {
    await server.stop();
  }
} finally {
  await postgres.drop?.();
}
