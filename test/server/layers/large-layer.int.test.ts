// A layer too large to hold (land parcels beyond LAYER_STREAM_ABOVE_FEATURES): streamed
// in keyset pages, never cached, with an ETag from the table revision that still gives
// 304; a bbox holding few of its features is an ordinary prepared body.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { FeatureCollection } from 'geojson';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildLayerQueries } from '../../../server/layers/queries.ts';
import { findLayer } from '../../../server/layers/registry.ts';
import { STREAM_PAGE_ROWS } from '../../../server/layers/service.ts';
import { userClient } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';
import { loadTestParcels } from '../../support/parcels.ts';
import { gate, watchStatements, type Watch } from '../../support/watched-db.ts';

const COUNT = 20_000;
const STREAM_ABOVE = 10_000;
// Statements per stream: the last page is the first one short of a full page (maybe empty).
const PAGES = Math.floor(COUNT / STREAM_PAGE_ROWS) + 1;
const parcels = findLayer('parcels')!;
const REVISION_ETAG = /^W\/"r\d+-[A-Za-z0-9_-]+"$/;

/** Status, headers and raw (undecoded) bytes, as sent. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describeEachBackend('a layer too large to hold', ({ db }) => {
  let server: TestServer;
  let pages: Watch;
  let whole: Watch;
  beforeAll(async () => {
    await loadTestParcels(db(), { count: COUNT, batchSize: 5000 });
    // Page statements of the stream, and whole-collection statements (json_agg) of parcels.
    const paged = watchStatements(db(), /::text AS feature FROM "parcels"/);
    const aggregated = watchStatements(paged.db, /json_agg\(.*FROM "parcels"/s);
    pages = paged.watch;
    whole = aggregated.watch;
    server = await startTestServer(aggregated.db, { env: { LAYER_STREAM_ABOVE_FEATURES: String(STREAM_ABOVE) } });
  });
  afterAll(() => server.close());

  it('streams the whole layer page by page: the same bytes as a prepared body, with a revision ETag', async () => {
    const before = pages.outcomes.length;
    const res = await rawGet(`${server.url}/api/layers/parcels`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.headers.etag).toMatch(REVISION_ETAG);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(pages.outcomes.length - before).toBe(PAGES);
    expect(whole.outcomes).toEqual([]);
    const q = buildLayerQueries(parcels, 'public');
    const [prepared] = await db().query<{ body: string }>(q.collection, q.filterParams);
    expect(res.body.toString('utf8')).toBe(prepared!.body);
    const collection = JSON.parse(prepared!.body) as FeatureCollection;
    expect(collection.features).toHaveLength(COUNT);
  });

  it('keeps internal fields from the public, and gives them to staff, privately', async () => {
    const pub = await server.get('/api/layers/parcels');
    expect(await pub.text()).not.toContain('"holder"');
    expect(pub.headers.get('cache-control')).toBe('public, no-cache');
    expect(pub.headers.get('vary')).toMatch(/Cookie/);
    const viewer = await userClient(db(), server, 'viewer');
    const staff = await viewer.send('GET', '/api/layers/parcels');
    expect(staff.headers.get('cache-control')).toBe('private, no-cache');
    expect(staff.headers.get('etag')).not.toBe(pub.headers.get('etag'));
    const text = await staff.text();
    expect(text).toContain('"holder"');
    expect((JSON.parse(text) as FeatureCollection).features).toHaveLength(COUNT);
  });

  it('answers 304 to its ETag without reading the layer, and a new ETag once the layer changes', async () => {
    const first = await server.get('/api/layers/parcels');
    await first.arrayBuffer();
    const etag = first.headers.get('etag')!;
    const before = pages.outcomes.length;
    const again = await server.get('/api/layers/parcels', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(pages.outcomes.length).toBe(before);
    await db().query("UPDATE parcels SET land_use = 'SKK' WHERE id = (SELECT min(id) FROM parcels)");
    const changed = await eventually(async () => {
      const res = await server.get('/api/layers/parcels', { 'If-None-Match': etag });
      expect(res.status).toBe(200);
      return res;
    });
    expect(changed.headers.get('etag')).toMatch(REVISION_ETAG);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const collection = (await changed.json()) as FeatureCollection;
    expect(collection.features[0]!.properties!.land_use).toBe('SKK');
  });

  it('gzips the stream when the client accepts it', async () => {
    const plain = await rawGet(`${server.url}/api/layers/parcels`);
    const zipped = await rawGet(`${server.url}/api/layers/parcels`, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
  });

  it('serves a bbox holding few parcels as a prepared body, and one holding many as a stream', async () => {
    const [centre] = await db().query<{ x: number; y: number }>('SELECT ST_X(c) AS x, ST_Y(c) AS y FROM (SELECT ST_Centroid(ST_Extent(geom)) AS c FROM parcels) s');
    const small = [centre!.x - 0.002, centre!.y - 0.002, centre!.x + 0.002, centre!.y + 0.002].join(',');
    const res = await rawGet(`${server.url}/api/layers/parcels?bbox=${small}`);
    expect(res.status).toBe(200);
    expect(res.headers.etag).not.toMatch(REVISION_ETAG);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    const expected = await db().query<{ id: string }>(
      `SELECT id FROM parcels WHERE ST_Intersects(geom, ST_MakeEnvelope(${small}, 4326)) ORDER BY id`,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect((JSON.parse(res.body.toString('utf8')) as FeatureCollection).features.map((f) => f.id)).toEqual(expected.map((r) => r.id));
    // Cached: the same body again without a statement for it.
    const before = pages.outcomes.length + whole.outcomes.length;
    expect((await rawGet(`${server.url}/api/layers/parcels?bbox=${small}`)).body.equals(res.body)).toBe(true);
    expect(pages.outcomes.length + whole.outcomes.length).toBe(before);

    const large = await rawGet(`${server.url}/api/layers/parcels?bbox=100,10,110,25`);
    expect(large.headers.etag).toMatch(REVISION_ETAG);
    expect((JSON.parse(large.body.toString('utf8')) as FeatureCollection).features).toHaveLength(COUNT);
    expect(pages.outcomes.length + whole.outcomes.length - before).toBe(PAGES);
  });

  it('keeps prepared, cached bodies for ordinary layers', async () => {
    const res = await rawGet(`${server.url}/api/layers/communes`);
    expect(res.headers.etag).not.toMatch(REVISION_ETAG);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it('stops reading pages when the client leaves', async () => {
    const started = pages.outcomes.length;
    const third = gate();
    pages.before = (n) => (n === started + 3 ? third.wait : Promise.resolve());
    try {
      const request = http.get(`${server.url}/api/layers/parcels`, (res) => res.resume());
      request.on('error', () => {});
      await eventually(async () => expect(pages.outcomes.length - started).toBe(3));
      request.destroy();
      // The server learns of it from the closed connection; then the third page may go.
      await new Promise((resolve) => setTimeout(resolve, 200));
      third.release();
      await eventually(async () => expect(pages.outcomes.at(-1)).not.toBe('running'));
      expect(pages.outcomes.slice(started)).toEqual(['done', 'done', 'cancelled']);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pages.outcomes.length - started).toBe(3);
    } finally {
      pages.before = async () => {};
    }
  });
});
