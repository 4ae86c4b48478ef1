import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FeatureCollection, Feature } from 'geojson';
import { layers } from '../../../server/layers/registry.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { assertRfc7946 } from '../../support/geojson.ts';
import { eventually } from '../../support/eventually.ts';
import { expectError, startTestServer, type TestServer } from '../../support/http.ts';

describeEachBackend('layer API', ({ db }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(db());
  });
  afterAll(() => server.close());

  const collection = async (path: string) => {
    const res = await server.get(path);
    expect(res.status, path).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    return assertRfc7946(await res.text()) as FeatureCollection;
  };

  it('lists every registry layer with its count, extent and style', async () => {
    const res = await server.get('/api/layers');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { layers: { id: string; featureCount: number; bbox: number[] | null; title: { vi: string; en: string }; style: object }[] };
    expect(body.layers.map((l) => l.id)).toEqual(layers.map((l) => l.id));
    const counts = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM communes');
    const communes = body.layers.find((l) => l.id === 'communes')!;
    expect(communes.featureCount).toBe(counts[0]!.n);
    expect(communes.bbox![0]).toBeCloseTo(106.095, 2);
    expect(communes.bbox![3]).toBeCloseTo(22.462, 2);
    for (const layer of body.layers) {
      expect(layer.title.vi.length).toBeGreaterThan(0);
      expect(layer.title.en.length).toBeGreaterThan(0);
      // Parcels are bulk-loaded by the province, not seeded.
      if (layer.id !== 'parcels') expect(layer.featureCount, layer.id).toBeGreaterThan(0);
    }
  });

  it.each(layers.map((l) => [l.id]))('serves %s as valid RFC 7946 GeoJSON with valid geometries', async (id) => {
    const fc = await collection(`/api/layers/${id}`);
    const listed = await (await server.get('/api/layers')).json() as { layers: { id: string; featureCount: number }[] };
    expect(fc.features).toHaveLength(listed.layers.find((l) => l.id === id)!.featureCount);
    const invalid = await db().query<{ id: string; reason: string }>(
      `SELECT f->>'id' AS id, ST_IsValidReason(ST_GeomFromGeoJSON((f->'geometry')::text)) AS reason
       FROM jsonb_array_elements($1::jsonb) f
       WHERE NOT ST_IsValid(ST_GeomFromGeoJSON((f->'geometry')::text))`,
      [JSON.stringify(fc.features)],
    );
    expect(invalid).toEqual([]);
    const ids = fc.features.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every thematic feature its sources, source date and accuracy class', async () => {
    for (const layer of layers.filter((l) => l.group === 'thematic')) {
      const fc = await collection(`/api/layers/${layer.id}`);
      for (const f of fc.features) {
        const p = f.properties!;
        expect(p.sources, `${layer.id}/${f.id}`).toEqual(expect.arrayContaining([expect.any(String)]));
        expect(p.source_date, `${layer.id}/${f.id}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(['surveyed', 'digitized', 'indicative']).toContain(p.accuracy);
      }
    }
  });

  it('filters by bbox: only features intersecting the box', async () => {
    const all = await collection('/api/layers/communes');
    // A box around Lạng Sơn city centre (106.758 E, 21.848 N).
    const inBox = await collection('/api/layers/communes?bbox=106.74,21.83,106.77,21.86');
    expect(inBox.features.length).toBeGreaterThan(0);
    expect(inBox.features.length).toBeLessThan(all.features.length);
    const expected = await db().query<{ id: string }>(
      `SELECT id FROM communes WHERE ST_Intersects(geom_display, ST_MakeEnvelope(106.74, 21.83, 106.77, 21.86, 4326)) ORDER BY id`,
    );
    expect(inBox.features.map((f) => f.id)).toEqual(expected.map((r) => r.id));
    const empty = await collection('/api/layers/communes?bbox=100,10,100.1,10.1');
    expect(empty.features).toEqual([]);
  });

  it('answers 304 to a matching If-None-Match, and a new body once the data changes', async () => {
    const first = await server.get('/api/layers/industrial_parks');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await server.get('/api/layers/industrial_parks', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // A write made outside the app reaches the server's cache through NOTIFY.
    await db().query("UPDATE zones SET notes = 'changed by test' WHERE kind = 'industrial_park'");
    const changed = await eventually(async () => {
      const res = await server.get('/api/layers/industrial_parks', { 'If-None-Match': etag });
      expect(res.status).toBe(200);
      return res;
    });
    expect(changed.headers.get('etag')).not.toBe(etag);
    const fc = (await changed.json()) as FeatureCollection;
    expect(fc.features.every((f) => f.properties!.notes === 'changed by test')).toBe(true);
    const layerList = await server.get('/api/layers');
    expect((await server.get('/api/layers', { 'If-None-Match': layerList.headers.get('etag')! })).status).toBe(304);
  });

  it('serves one feature by id, with ETag', async () => {
    const fc = await collection('/api/layers/border_gates');
    const first = fc.features[0]!;
    const res = await server.get(`/api/features/border_gates/${first.id}`);
    expect(res.status).toBe(200);
    const feature = assertRfc7946(await res.text()) as Feature;
    expect(feature).toEqual(first);
    expect((await server.get(`/api/features/border_gates/${first.id}`, { 'If-None-Match': res.headers.get('etag')! })).status).toBe(304);
  });

  it('never shows internal fields: neither registry-internal nor hidden per feature', async () => {
    await db().query(
      "UPDATE zones SET internal_notes = 'negotiation secret', difficulties = 'hidden difficulty', internal_fields = ARRAY['difficulties'], notes = 'fresh'",
    );
    // Wait until the served data is the updated data (its public notes say so).
    await eventually(async () => expect(await (await server.get('/api/layers/industrial_parks')).text()).toContain('"fresh"'));
    for (const path of ['/api/layers/industrial_parks', '/api/layers/industrial_clusters']) {
      const text = await (await server.get(path)).text();
      expect(text).not.toContain('negotiation secret');
      expect(text).not.toContain('hidden difficulty');
      for (const f of (JSON.parse(text) as FeatureCollection).features) {
        expect(Object.keys(f.properties!)).not.toContain('internal_notes');
        expect(Object.keys(f.properties!)).not.toContain('internal_fields');
        expect(Object.keys(f.properties!)).not.toContain('difficulties');
      }
    }
    const one = (await server.get('/api/layers/industrial_parks').then((r) => r.json())) as FeatureCollection;
    const text = await (await server.get(`/api/features/industrial_parks/${one.features[0]!.id}`)).text();
    expect(text).not.toContain('negotiation secret');
    expect(text).not.toContain('hidden difficulty');
    const layerList = await (await server.get('/api/layers')).text();
    expect(layerList).not.toContain('internal_notes');
  });

  it('keeps unknown numbers null, never zero', async () => {
    await db().query("UPDATE zones SET leasable_ha = 100, occupied_ha = NULL WHERE kind = 'industrial_park'");
    await eventually(async () => {
      const fc = await collection('/api/layers/industrial_parks');
      for (const f of fc.features) {
        expect(f.properties!.leasable_ha).toBe(100);
        expect(f.properties!.occupied_ha).toBeNull();
        expect(f.properties!.occupancy_pct).toBeNull();
        expect(f.properties!.vacant_ha).toBeNull();
      }
    });
  });

  it('selects fields with fields=', async () => {
    const fc = await collection('/api/layers/border_gates?fields=name_vi,status');
    for (const f of fc.features) expect(Object.keys(f.properties!).sort()).toEqual(['name_vi', 'status']);
  });

  it.each([
    ['/api/layers/nope', 404, 'layer_not_found', /Unknown layer 'nope'/],
    ['/api/features/nope/x', 404, 'layer_not_found', /Unknown layer/],
    ['/api/features/border_gates/does-not-exist', 404, 'feature_not_found', /no feature 'does-not-exist'/],
    ['/api/layers/communes?bbox=1,2,3', 400, 'invalid_parameter', /'bbox' must be minLon,minLat,maxLon,maxLat \(4 comma-separated numbers\); got 3 value/],
    ['/api/layers/communes?bbox=a,2,3,4', 400, 'invalid_parameter', /'bbox' value 1 \('a'\) is not a number/],
    ['/api/layers/communes?bbox=106,22,107,21', 400, 'invalid_parameter', /minLat greater than maxLat/],
    ['/api/layers/communes?bbox=190,21,191,22', 400, 'invalid_parameter', /longitudes outside -180…180/],
    ['/api/layers/communes?bbox=107,21,106,22', 400, 'invalid_parameter', /minLon greater than maxLon/],
    ['/api/layers/communes?bbox=1,2,3,4&bbox=1,2,3,4', 400, 'invalid_parameter', /given once/],
    ['/api/layers/communes?bbx=1,2,3,4', 400, 'unknown_parameter', /Unknown query parameter 'bbx'/],
    ['/api/layers/communes?fields=name_vi,secret', 400, 'invalid_parameter', /unknown field\(s\) 'secret'/],
    ['/api/layers/industrial_parks?fields=internal_notes', 400, 'invalid_parameter', /unknown field/],
    ['/api/nothing-here', 404, 'route_not_found', /No API route/],
  ])('GET %s → %i %s', (path, status, code, detail) => expectError(server, path, status, code, detail));

  it('tells the client its configuration: no online basemap by default', async () => {
    expect(await (await server.get('/api/config')).json()).toEqual({ basemapStyleUrl: null });
  });

  it('reports health with the backend in use and how busy it is', async () => {
    const body = (await (await server.get('/api/health')).json()) as { status: string; database: string };
    // An idle database answers health with a real query: nothing is in progress.
    const idle = { running: 0, waiting: 0, busy: 0, limited: 0 };
    expect(body).toEqual({
      status: 'ok',
      database: db().backend,
      databaseBusyMs: null,
      load: { inFlight: 0, queued: 0, shed: 0 },
      heavyWork: { analysis: idle, print: idle, export: idle, import: idle },
    });
  });
});
