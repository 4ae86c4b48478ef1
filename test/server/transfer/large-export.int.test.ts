// Exports of a layer of tens of thousands of parcels: every format complete and valid
// (read back by independent readers), memory bounded while it streams, the server
// responsive while a slow client downloads, and the reading stopped when the client leaves.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import * as shapefileReader from 'shapefile';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXPORT_PAGE_ROWS } from '../../../server/transfer/export.ts';
import { kml } from '../../../server/transfer/formats/kml.ts';
import { userClient, type Client } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';
import { loadTestParcels } from '../../support/parcels.ts';
import { gate, watchStatements, type Watch } from '../../support/watched-db.ts';

const COUNT = 25_000;
// Statements per export: the last page is the first one short of a full page (maybe empty).
const PAGES = Math.floor(COUNT / EXPORT_PAGE_ROWS) + 1;
// Export page statements (transfer/queries.ts exportSql) and nothing else.
const EXPORT_PAGE = /AS wkt FROM "parcels"/;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Runs GDAL's ogrinfo on a file: its feature count and extent, as an independent reader sees them. */
function ogrSummary(file: string): { count: number; extent: number[] } {
  const out = execFileSync('ogrinfo', ['-ro', '-so', '-al', file], { encoding: 'utf8' });
  const count = Number(/Feature Count: (\d+)/.exec(out)?.[1]);
  const extent = /Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)/.exec(out)!.slice(1).map(Number);
  return { count, extent };
}

/** A download read chunk by chunk with node:http, which the test can pause and abandon. */
function download(url: string, headers: Record<string, string> = {}) {
  const chunks: Buffer[] = [];
  let received = 0;
  let request!: http.ClientRequest;
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    request = http.get(url, { headers }, resolve);
    request.on('error', reject);
  });
  return {
    response,
    received: () => received,
    abandon: () => request.destroy(),
    /** Reads `bytes` more (or to the end), then pauses. */
    async read(bytes = Infinity, keep = true): Promise<boolean> {
      const res = await response;
      const target = received + bytes;
      return new Promise((resolve, reject) => {
        const stop = () => {
          res.off('data', onData);
          res.off('end', onEnd);
          res.off('error', onError);
        };
        const onData = (chunk: Buffer) => {
          received += chunk.length;
          if (keep) chunks.push(chunk);
          if (received >= target) {
            res.pause();
            stop();
            resolve(false);
          }
        };
        const onEnd = () => {
          stop();
          resolve(true);
        };
        const onError = (error: Error) => {
          stop();
          reject(error);
        };
        res.on('data', onData);
        res.once('end', onEnd);
        res.once('error', onError);
        res.resume();
      });
    },
    body: () => Buffer.concat(chunks),
  };
}

describeEachBackend('exports of a large layer', ({ db }) => {
  let server: TestServer;
  let watch: Watch;
  let viewer: Client;
  let tmp: string;
  let extent: number[];
  beforeAll(async () => {
    await loadTestParcels(db(), { count: COUNT, batchSize: 5000 });
    const watched = watchStatements(db(), EXPORT_PAGE);
    watch = watched.watch;
    server = await startTestServer(watched.db);
    viewer = await userClient(db(), server, 'viewer');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-large-export-'));
    const [e] = await db().query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
      'SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Extent(geom) AS e FROM parcels) s',
    );
    extent = [e!.xmin, e!.ymin, e!.xmax, e!.ymax];
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const exportBytes = async (format: string, client?: Client) => {
    const res = client ? await client.send('GET', `/api/export/parcels?format=${format}`) : await server.get(`/api/export/parcels?format=${format}`);
    expect(res.status, format).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const sample = async () =>
    (
      await db().query<{ id: string; land_use: string; parcel_no: number; geometry: MultiPolygon; wkt: string; holder: string }>(
        `SELECT id, land_use, parcel_no, holder, ST_AsGeoJSON(geom, 9)::json AS geometry, ST_AsText(geom, 9) AS wkt FROM parcels ORDER BY md5(id) LIMIT 1`,
      )
    )[0]!;
  const expectExtent = (found: number[]) => found.forEach((v, i) => expect(v).toBeCloseTo(extent[i]!, 6));
  const file = (name: string, bytes: Uint8Array) => {
    const at = path.join(tmp, name);
    fs.writeFileSync(at, bytes);
    return at;
  };

  it('exports GeoJSON: every feature, in id order, the sample as stored, no internal field for the public', async () => {
    const bytes = await exportBytes('geojson');
    const collection = JSON.parse(bytes.toString('utf8')) as FeatureCollection;
    expect(collection.features).toHaveLength(COUNT);
    const ids = collection.features.map((f) => String(f.id));
    expect(new Set(ids).size).toBe(COUNT);
    const s = await sample();
    const feature = collection.features.find((f) => f.id === s.id)!;
    expect(feature.geometry).toEqual(s.geometry);
    expect(feature.properties).toMatchObject({ land_use: s.land_use, parcel_no: s.parcel_no });
    expect(Object.keys(feature.properties!)).not.toContain('holder');
    const summary = ogrSummary(file('parcels.geojson', bytes));
    expect(summary.count).toBe(COUNT);
    expectExtent(summary.extent);
  });

  it('exports CSV with WKT: every row, the sample as stored, internal fields for staff', async () => {
    const bytes = await exportBytes('csv', viewer);
    const records = parse(bytes.toString('utf8'), { columns: true, bom: true }) as Record<string, string>[];
    expect(records).toHaveLength(COUNT);
    const s = await sample();
    const row = records.find((r) => r.id === s.id)!;
    expect(row).toMatchObject({ wkt: s.wkt, land_use: s.land_use, parcel_no: String(s.parcel_no), holder: s.holder });
    expect(ogrSummary(file('parcels.csv', bytes)).count).toBe(COUNT);
  });

  it.each(['kml', 'kmz'])('exports %s: every placemark, the sample as stored', async (format) => {
    const bytes = await exportBytes(format);
    const summary = ogrSummary(file(`parcels.${format}`, bytes));
    expect(summary.count).toBe(COUNT);
    expectExtent(summary.extent);
    const text = format === 'kmz' ? Buffer.from(unzipSync(bytes)['doc.kml']!).toString('utf8') : bytes.toString('utf8');
    expect(text.match(/<Placemark /g)).toHaveLength(COUNT);
    // The sample's placemark, read back by the import's reader (xmldom + togeojson).
    const s = await sample();
    const placemark = text.slice(text.indexOf(`<Placemark id="${s.id}"`)).split('\n', 1)[0]!;
    const { features } = await kml.read!(Buffer.from(`<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${placemark}</Document></kml>`));
    expect(features).toMatchObject([{ id: s.id, properties: { land_use: s.land_use, parcel_no: String(s.parcel_no) } }]);
    // A one-part MultiGeometry reads back as its polygon.
    expect(features[0]!.geometry).toEqual({ type: 'Polygon', coordinates: s.geometry.coordinates[0] });
  });

  it('exports a zipped shapefile: every record, headers with the right extent, the sample as stored', async () => {
    const files = unzipSync(await exportBytes('shapefile'));
    expect(Object.keys(files).sort()).toEqual(['parcels.cpg', 'parcels.dbf', 'parcels.prj', 'parcels.shp', 'parcels.shx']);
    const collection = await shapefileReader.read(files['parcels.shp']!, files['parcels.dbf']!, { encoding: 'utf-8' });
    expect(collection.features).toHaveLength(COUNT);
    const s = await sample();
    const record = collection.features.find((f) => f.properties!.id === s.id)!;
    expect(record.properties).toMatchObject({ land_use: s.land_use, parcel_no: s.parcel_no });
    // Shapefile outer rings run clockwise: the same corners in the opposite order.
    expect((record.geometry as Polygon).coordinates[0]).toEqual([...s.geometry.coordinates[0]![0]!].reverse());
    for (const [name, bytes] of Object.entries(files)) file(name, bytes);
    const summary = ogrSummary(path.join(tmp, 'parcels.shp'));
    expect(summary.count).toBe(COUNT);
    expectExtent(summary.extent);
  });

  it('holds a bounded amount of memory while it streams, far below the size of the file', async () => {
    const url = `${server.url}/api/export/parcels?format=kml`;
    // Once before measuring, so that what a first run leaves (compiled code, caches) is in the baseline.
    await download(url).read(Infinity, false);
    // Live memory: heap (rows, text) and buffers (bodies, chunks in flight), after full
    // collections. Buffers are freed after their collection, in the background: settle first.
    const live = () => {
      gc();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    let baseline = live();
    for (let previous = Infinity; baseline < previous - 100_000; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      [previous, baseline] = [baseline, live()];
    }
    const d = download(url);
    let peak = 0;
    while (!(await d.read(512 * 1024, false))) peak = Math.max(peak, live() - baseline);
    expect((await d.response).statusCode).toBe(200);
    const size = d.received();
    expect(size).toBeGreaterThan(COUNT * 200);
    // About a page of rows and its text (~3–6 MB here, whatever the layer's size); a file
    // built whole would be held whole while it is sent.
    expect(peak, `peak ${(peak / 1e6).toFixed(1)} MB for a ${(size / 1e6).toFixed(1)} MB file`).toBeLessThan(size / 2);
  });

  it('answers /api/health while a slow client downloads, reading only as far ahead as the client', async () => {
    const started = watch.outcomes.length;
    const d = download(`${server.url}/api/export/parcels?format=kml`);
    await d.read(64 * 1024);
    const health = await server.get('/api/health');
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    // The client has stopped reading: the server waits for it instead of reading the layer.
    expect(watch.outcomes.length - started).toBeLessThan(PAGES);
    expect(await d.read()).toBe(true);
    expect(watch.outcomes.length - started).toBe(PAGES);
    expect(d.body().toString('utf8').match(/<Placemark /g)).toHaveLength(COUNT);
  });

  it.each(['geojson', 'shapefile'])('stops reading pages when the client leaves (%s)', async (format) => {
    const started = watch.outcomes.length;
    const third = gate();
    watch.before = (n) => (n === started + 3 ? third.wait : Promise.resolve());
    try {
      const d = download(`${server.url}/api/export/parcels?format=${format}`);
      expect((await d.response).statusCode).toBe(200);
      d.read(Infinity, false).catch(() => {}); // reading on, until it is abandoned
      await eventually(async () => expect(watch.outcomes.length - started).toBe(3));
      d.abandon();
      // The server learns of it from the closed connection; then the third page may go.
      await new Promise((resolve) => setTimeout(resolve, 200));
      third.release();
      await eventually(async () => expect(watch.outcomes.at(-1)).not.toBe('running'));
      expect(watch.outcomes.slice(started)).toEqual(['done', 'done', 'cancelled']);
      // Nothing more is read for the client that left.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(watch.outcomes.length - started).toBe(3);
    } finally {
      watch.before = async () => {};
    }
  });
});
