import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FeatureCollection, Feature, Position } from 'geojson';
import { layers } from '../../../server/layers/registry.ts';
import { conformanceClasses } from '../../../server/ogc/documents.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { expectError, startTestServer, type TestServer } from '../../support/http.ts';
import { loadTestParcels } from '../../support/parcels.ts';

type Link = { href: string; rel: string; type: string };
type Page = FeatureCollection & { numberMatched: number; numberReturned: number; links: Link[] };

const EPSG_4326 = 'http://www.opengis.net/def/crs/EPSG/0/4326';
const EPSG_3405 = 'http://www.opengis.net/def/crs/EPSG/0/3405';

describeEachBackend('OGC API Features', ({ db }) => {
  let server: TestServer;
  beforeAll(async () => {
    await loadTestParcels(db());
    server = await startTestServer(db());
  });
  afterAll(() => server.close());

  const json = async <T>(path: string, headers: Record<string, string> = {}): Promise<T> => {
    const res = await server.get(path, headers);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const page = (path: string) => json<Page>(path);
  const ids = async (sql: string, params: unknown[] = []) => (await db().query<{ id: string }>(sql, params)).map((r) => r.id);

  it('offers a landing page linking the API description, conformance and collections', async () => {
    const landing = await json<{ links: Link[] }>('/ogc');
    const rels = Object.fromEntries(landing.links.map((l) => [l.rel, l]));
    expect(rels['service-desc']!.href).toBe(`${server.url}/ogc/api`);
    expect(rels.conformance!.href).toBe(`${server.url}/ogc/conformance`);
    expect(rels.data!.href).toBe(`${server.url}/ogc/collections`);
    expect((await json<{ conformsTo: string[] }>('/ogc/conformance')).conformsTo).toEqual(conformanceClasses);
  });

  it('describes itself in OpenAPI 3.0, with a path per collection', async () => {
    const res = await server.get('/ogc/api');
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.oai\.openapi\+json/);
    const api = (await res.json()) as { openapi: string; paths: Record<string, unknown>; components: { parameters: { limit: { schema: { maximum: number } } } } };
    expect(api.openapi).toBe('3.0.3');
    for (const layer of layers) expect(Object.keys(api.paths)).toContain(`/collections/${layer.id}/items`);
    expect(api.components.parameters.limit.schema.maximum).toBe(10_000);
  });

  it('lists every registry layer as a collection, with extents and item links', async () => {
    const { collections } = await json<{ collections: { id: string; links: Link[]; extent: { spatial: { bbox: number[][] }; temporal?: { interval: (string | null)[][] } } }[] }>('/ogc/collections');
    expect(collections.map((c) => c.id)).toEqual(layers.map((l) => l.id));
    const parcels = collections.find((c) => c.id === 'parcels')!;
    expect(parcels.links.find((l) => l.rel === 'items' && l.type === 'application/geo+json')!.href).toBe(`${server.url}/ogc/collections/parcels/items?f=json`);
    expect(parcels.extent.spatial.bbox[0]![0]).toBeGreaterThan(106.7);
    const [dates] = await db().query<{ first: string; last: string }>('SELECT min(registered_on)::text AS first, max(registered_on)::text AS last FROM parcels');
    expect(parcels.extent.temporal!.interval).toEqual([[dates!.first, dates!.last]]);
    expect(collections.find((c) => c.id === 'communes')!.extent.temporal).toBeUndefined();
    const one = await json<{ id: string }>('/ogc/collections/border_gates');
    expect(one.id).toBe('border_gates');
  });

  it('pages through a collection with next and prev links until every feature is seen', async () => {
    const seen: string[] = [];
    let next: string | undefined = '/ogc/collections/parcels/items?limit=120';
    let pages = 0;
    while (next) {
      const p = await page(next.replace(server.url, ''));
      expect(p.numberMatched).toBe(300);
      expect(p.numberReturned).toBe(p.features.length);
      seen.push(...p.features.map((f) => String(f.id)));
      if (pages > 0) expect(p.links.some((l) => l.rel === 'prev')).toBe(true);
      next = p.links.find((l) => l.rel === 'next' && l.type === 'application/geo+json')?.href;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(await ids('SELECT id FROM parcels ORDER BY id'));
  });

  it('defaults to 10 features per page', async () => {
    expect((await page('/ogc/collections/parcels/items')).features).toHaveLength(10);
  });

  it('filters by bbox, in CRS84 or in EPSG:4326 (lat, lon) order', async () => {
    const expected = await ids(`SELECT id FROM parcels WHERE ST_Intersects(geom, ST_MakeEnvelope(106.74, 21.83, 106.76, 21.85, 4326)) ORDER BY id`);
    expect(expected.length).toBeGreaterThan(0);
    const crs84 = await page('/ogc/collections/parcels/items?limit=1000&bbox=106.74,21.83,106.76,21.85');
    expect(crs84.features.map((f) => f.id)).toEqual(expected);
    expect(crs84.numberMatched).toBe(expected.length);
    const latLon = await page(`/ogc/collections/parcels/items?limit=1000&bbox=21.83,106.74,21.85,106.76&bbox-crs=${EPSG_4326}`);
    expect(latLon.features.map((f) => f.id)).toEqual(expected);
  });

  it('filters by datetime on the layer’s date field: instants and open intervals', async () => {
    const [day] = await db().query<{ d: string }>('SELECT registered_on::text AS d FROM parcels WHERE registered_on IS NOT NULL ORDER BY id LIMIT 1');
    const onDay = await page(`/ogc/collections/parcels/items?limit=1000&datetime=${day!.d}`);
    expect(onDay.features.map((f) => f.id)).toEqual(await ids('SELECT id FROM parcels WHERE registered_on = $1 ORDER BY id', [day!.d]));
    const since = await page('/ogc/collections/parcels/items?limit=1000&datetime=2015-01-01T00:00:00Z/..');
    expect(since.numberMatched).toBe((await ids("SELECT id FROM parcels WHERE registered_on >= '2015-01-01'")).length);
    const between = await page('/ogc/collections/parcels/items?limit=1000&datetime=2000-01-01/2004-12-31');
    expect(between.features.map((f) => f.id)).toEqual(await ids("SELECT id FROM parcels WHERE registered_on BETWEEN '2000-01-01' AND '2004-12-31' ORDER BY id"));
  });

  it('filters by equality on public fields', async () => {
    const rsx = await page('/ogc/collections/parcels/items?limit=1000&land_use=RSX');
    expect(rsx.features.map((f) => f.id)).toEqual(await ids("SELECT id FROM parcels WHERE land_use = 'RSX' ORDER BY id"));
    const gates = await page('/ogc/collections/border_gates/items?gate_type=international&status=operating');
    expect(gates.features.map((f) => f.id)).toEqual(await ids("SELECT id FROM border_gates WHERE gate_type = 'international' AND status = 'operating' ORDER BY id"));
  });

  it('serves coordinates in VN-2000 / UTM 48N or in lat/lon order on request, saying so in Content-Crs', async () => {
    const [expected] = await db().query<{ id: string; x: number; y: number; lon: number; lat: number }>(
      `SELECT id, ST_X(p) AS x, ST_Y(p) AS y, ST_X(g) AS lon, ST_Y(g) AS lat FROM
        (SELECT id, ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1) AS g,
                ST_Transform(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1), 3405) AS p FROM parcels ORDER BY id LIMIT 1) s`,
    );
    const first = (f: Feature) => (f.geometry as { coordinates: Position[][][] }).coordinates[0]![0]![0]!;
    const res = await server.get(`/ogc/collections/parcels/items?limit=1&crs=${EPSG_3405}`);
    expect(res.headers.get('content-crs')).toBe(`<${EPSG_3405}>`);
    const [x, y] = first(((await res.json()) as Page).features[0]!);
    expect(x).toBeCloseTo(expected!.x, 1);
    expect(y).toBeCloseTo(expected!.y, 1);
    expect(x).toBeGreaterThan(600_000);
    const latLon = await page(`/ogc/collections/parcels/items?limit=1&crs=${EPSG_4326}`);
    expect(first(latLon.features[0]!)).toEqual([expect.closeTo(expected!.lat, 5), expect.closeTo(expected!.lon, 5)]);
    const item = await server.get(`/ogc/collections/parcels/items/${expected!.id}?crs=${EPSG_3405}`);
    expect(item.headers.get('content-crs')).toBe(`<${EPSG_3405}>`);
    expect(first((await item.json()) as Feature)[0]).toBeCloseTo(expected!.x, 1);
  });

  it('serves one feature by id, the same as in its page', async () => {
    const p = await page('/ogc/collections/border_gates/items?limit=1');
    const feature = await json<Feature & { links: Link[] }>(`/ogc/collections/border_gates/items/${p.features[0]!.id}`);
    expect(feature.properties).toEqual(p.features[0]!.properties);
    expect(feature.links.find((l) => l.rel === 'collection')!.href).toBe(`${server.url}/ogc/collections/border_gates`);
  });

  it('answers browsers in HTML, by f=html or by Accept', async () => {
    for (const [path, headers] of [
      ['/ogc/collections/parcels/items?f=html&limit=5', {}],
      ['/ogc/collections/parcels/items?limit=5', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }],
    ] as const) {
      const res = await server.get(path, headers);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<table>');
      expect(html).toContain('next →');
    }
    for (const path of ['/ogc', '/ogc/conformance', '/ogc/collections', '/ogc/collections/parcels', '/ogc/collections/border_gates/items/cua-khau-huu-nghi']) {
      const res = await server.get(`${path}?f=html`);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
    }
  });

  it('revalidates item pages by ETag', async () => {
    const first = await server.get('/ogc/collections/parcels/items?limit=5');
    expect((await server.get('/ogc/collections/parcels/items?limit=5', { 'If-None-Match': first.headers.get('etag')! })).status).toBe(304);
  });

  it('never shows internal fields, in pages or single features', async () => {
    await db().query("UPDATE zones SET internal_notes = 'negotiation secret', difficulties = 'hidden difficulty', internal_fields = ARRAY['difficulties'], notes = 'fresh'");
    await eventually(async () => expect(await (await server.get('/ogc/collections/industrial_parks/items')).text()).toContain('"fresh"'));
    const zoneId = (await page('/ogc/collections/industrial_parks/items')).features[0]!.id;
    for (const path of ['/ogc/collections/industrial_parks/items', `/ogc/collections/industrial_parks/items/${zoneId}`, '/ogc/collections/parcels/items?limit=50', '/ogc/collections/industrial_parks/items?f=html']) {
      const text = await (await server.get(path)).text();
      for (const secret of ['negotiation secret', 'hidden difficulty', 'internal_notes', 'internal_fields', 'holder', 'Hộ sử dụng đất']) {
        expect(text, `${path} shows ${secret}`).not.toContain(secret);
      }
    }
  });

  it.each([
    ['/ogc/collections/nope', 404, 'collection_not_found', /Unknown collection 'nope'/],
    ['/ogc/collections/nope/items', 404, 'collection_not_found', /Unknown collection 'nope'/],
    ['/ogc/collections/border_gates/items/nope', 404, 'feature_not_found', /no feature 'nope'/],
    ['/ogc/collections/parcels/items?bbox=1,2,3', 400, 'invalid_parameter', /'bbox' must have 4 \(or 6, with heights\)/],
    ['/ogc/collections/parcels/items?bbox=a,2,3,4', 400, 'invalid_parameter', /'bbox' value 1 \('a'\) is not a number/],
    ['/ogc/collections/parcels/items?bbox=107,21,106,22', 400, 'invalid_parameter', /lower corner above or right/],
    ['/ogc/collections/parcels/items?bbox=-200,21,106,22', 400, 'invalid_parameter', /outside -180…180/],
    ['/ogc/collections/parcels/items?bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3405', 400, 'invalid_parameter', /needs a 'bbox'/],
    ['/ogc/collections/parcels/items?limit=100000', 400, 'invalid_parameter', /limit must be at most 10000/],
    ['/ogc/collections/parcels/items?limit=0', 400, 'invalid_parameter', /limit must be at least 1/],
    ['/ogc/collections/parcels/items?limit=-5', 400, 'invalid_parameter', /'limit' must be a whole number/],
    ['/ogc/collections/parcels/items?offset=abc', 400, 'invalid_parameter', /'offset' must be a whole number/],
    ['/ogc/collections/parcels/items?offset=1&offset=2', 400, 'invalid_parameter', /given once/],
    ['/ogc/collections/parcels/items?crs=EPSG:3857', 400, 'invalid_parameter', /'crs' must be one of/],
    ['/ogc/collections/parcels/items?datetime=yesterday', 400, 'invalid_parameter', /'datetime' must be a date-time/],
    ['/ogc/collections/parcels/items?datetime=2020-01-01/2010-01-01', 400, 'invalid_parameter', /start after its end/],
    ['/ogc/collections/parcels/items?datetime=../..', 400, 'invalid_parameter', /'datetime' must be a date-time/],
    ['/ogc/collections/communes/items?datetime=2020-01-01', 400, 'unknown_parameter', /Unknown query parameter 'datetime'/],
    ['/ogc/collections/parcels/items?parcel_no=abc', 400, 'invalid_parameter', /'parcel_no' must be a whole number/],
    ['/ogc/collections/parcels/items?registered_on=2020-02-31x', 400, 'invalid_parameter', /'registered_on' must be a date/],
    ['/ogc/collections/parcels/items?holder=x', 400, 'unknown_parameter', /Unknown query parameter 'holder'/],
    ['/ogc/collections/parcels/items?f=xml', 400, 'invalid_parameter', /'f'/],
    ['/ogc/nothing', 404, 'route_not_found', /No API route/],
  ])('GET %s → %i %s', (path, status, code, detail) => expectError(server, path, status, code, detail));
});
