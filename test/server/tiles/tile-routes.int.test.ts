import { afterAll, beforeAll, expect, it } from 'vitest';
import { layers } from '../../../server/layers/registry.ts';
import { publicFields } from '../../../server/layers/tables.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { expectError, startTestServer, type TestServer } from '../../support/http.ts';
import { loadTestParcels } from '../../support/parcels.ts';
import { decodeTile, pointsOn, tileAt } from '../../support/tiles.ts';

describeEachBackend('vector tiles', ({ db }) => {
  let server: TestServer;
  beforeAll(async () => {
    await loadTestParcels(db());
    server = await startTestServer(db());
  });
  afterAll(() => server.close());

  const tilePath = (layer: string, t: { z: number; x: number; y: number }) => `/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt`;
  const fetchTile = async (layer: string, t: { z: number; x: number; y: number }) => {
    const res = await server.get(tilePath(layer, t));
    expect([200, 204], tilePath(layer, t)).toContain(res.status);
    return { res, features: decodeTile(new Uint8Array(await res.arrayBuffer()), layer) };
  };

  it('describes every layer with TileJSON 3.0.0 pointing at its tiles', async () => {
    for (const layer of layers) {
      const res = await server.get(`/tiles/${layer.id}.json`);
      expect(res.status, layer.id).toBe(200);
      const json = (await res.json()) as { tilejson: string; tiles: string[]; minzoom: number; bounds: number[]; vector_layers: { id: string; fields: Record<string, string> }[] };
      expect(json.tilejson).toBe('3.0.0');
      expect(json.tiles).toEqual([`${server.url}/tiles/${layer.id}/{z}/{x}/{y}.mvt`]);
      expect(json.minzoom).toBe(layer.minZoom);
      expect(json.bounds).toHaveLength(4);
      expect(json.vector_layers.map((l) => l.id)).toEqual([layer.id]);
      expect(json.vector_layers[0]!.fields.id).toBe('String');
    }
  });

  it('tells the client, in /api/layers, which layers to draw from tiles', async () => {
    const body = (await (await server.get('/api/layers')).json()) as { layers: { id: string; delivery: string; links: { tiles?: string } }[] };
    const parcels = body.layers.find((l) => l.id === 'parcels')!;
    expect(parcels).toMatchObject({ delivery: 'tiles', links: { tiles: '/tiles/parcels.json' } });
    const communes = body.layers.find((l) => l.id === 'communes')!;
    expect(communes.delivery).toBe('geojson');
    expect(communes.links.tiles).toBeUndefined();
  });

  it.each(layers.map((l) => [l.id, l]))('serves %s: the tile under a feature holds it, with its public properties', async (_id, layer) => {
    const [point] = await pointsOn(db(), layer, 1);
    const { res, features } = await fetchTile(layer.id, tileAt(point!.lon, point!.lat, 12));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const feature = features.find((f) => f.id === point!.id);
    expect(feature, `${layer.id}/${point!.id}`).toBeDefined();
    const allowed = new Set(['id', ...publicFields(layer.table).map((f) => f.name), ...(layer.table.extraPropertiesColumn ? Object.keys(feature!.properties) : [])]);
    for (const key of Object.keys(feature!.properties)) expect(allowed, `${layer.id}.${key}`).toContain(key);
    const expectedType = layer.geometryType === 'Point' ? 1 : layer.geometryType.endsWith('Polygon') ? 3 : 2;
    expect(feature!.type).toBe(expectedType);
    for (const f of features) {
      // Tile units: 0…4096, plus the 64-unit buffer.
      expect(f.bbox[0]).toBeGreaterThanOrEqual(-64);
      expect(f.bbox[3]).toBeLessThanOrEqual(4096 + 64);
    }
  });

  it('fills a parcel tile with exactly the parcels that touch it', async () => {
    const [point] = await pointsOn(db(), layers.find((l) => l.id === 'parcels')!, 1);
    const address = tileAt(point!.lon, point!.lat, 14);
    const { features } = await fetchTile('parcels', address);
    const expected = await db().query<{ id: string }>(
      `SELECT id FROM parcels WHERE ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope($1, $2, $3)) ORDER BY id`,
      [address.z, address.x, address.y],
    );
    const ids = features.map((f) => f.id);
    expect(ids.length).toBeGreaterThan(3);
    // Features within the buffer may be added; none that touch the tile may be missing.
    expect(ids).toEqual(expect.arrayContaining(expected.map((r) => r.id)));
    // The registry keeps parcel tiles to what a style needs.
    expect(Object.keys(features[0]!.properties).sort()).toEqual(['id', 'land_use', 'map_sheet', 'parcel_no']);
  });

  it('answers an empty tile with 204 and no body', async () => {
    const res = await server.get(tilePath('parcels', tileAt(0, 0, 10)));
    expect(res.status).toBe(204);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(res.headers.get('etag')).toMatch(/^W\/".+"$/);
  });

  it('revalidates by ETag, and serves a new tile once the data changes', async () => {
    const [point] = await pointsOn(db(), layers.find((l) => l.id === 'industrial_parks')!, 1);
    const path = tilePath('industrial_parks', tileAt(point!.lon, point!.lat, 10));
    const first = await server.get(path);
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    expect((await server.get(path, { 'If-None-Match': etag })).status).toBe(304);
    await db().query("UPDATE zones SET name_vi = name_vi || ' (mới)' WHERE id = $1", [point!.id]);
    const changed = await eventually(async () => {
      const res = await server.get(path, { 'If-None-Match': etag });
      expect(res.status).toBe(200);
      return res;
    });
    const feature = decodeTile(new Uint8Array(await changed.arrayBuffer()), 'industrial_parks').find((f) => f.id === point!.id);
    expect(feature!.properties.name_vi).toMatch(/\(mới\)$/);
  });

  it('never puts internal fields in tiles: neither registry-internal nor hidden per feature', async () => {
    await db().query("UPDATE zones SET internal_notes = 'negotiation secret', difficulties = 'hidden difficulty', internal_fields = ARRAY['difficulties']");
    const [point] = await pointsOn(db(), layers.find((l) => l.id === 'industrial_parks')!, 1);
    await eventually(async () => {
      const res = await server.get(tilePath('industrial_parks', tileAt(point!.lon, point!.lat, 9)));
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes.includes('negotiation secret')).toBe(false);
      expect(bytes.includes('hidden difficulty')).toBe(false);
      expect(bytes.includes('internal_notes')).toBe(false);
      expect(bytes.includes('internal_fields')).toBe(false);
    });
  });

  it('sends gzip to clients that accept it', async () => {
    const [point] = await pointsOn(db(), layers.find((l) => l.id === 'communes')!, 1);
    const res = await fetch(`${server.url}${tilePath('communes', tileAt(point!.lon, point!.lat, 8))}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(decodeTile(new Uint8Array(await res.arrayBuffer()), 'communes').length).toBeGreaterThan(0);
  });

  it.each([
    ['/tiles/nope/1/0/0.mvt', 404, 'layer_not_found', /Unknown layer 'nope'/],
    ['/tiles/nope.json', 404, 'layer_not_found', /Unknown layer 'nope'/],
    ['/tiles/parcels/23/0/0.mvt', 400, 'invalid_tile', /z must be within 0…22; got 23/],
    ['/tiles/parcels/3/8/0.mvt', 400, 'invalid_tile', /x must be within 0…7 at zoom 3; got 8/],
    ['/tiles/parcels/3/0/8.mvt', 400, 'invalid_tile', /y must be within 0…7 at zoom 3; got 8/],
    ['/tiles/parcels/3/-1/0.mvt', 400, 'invalid_tile', /x must be a whole number/],
    ['/tiles/parcels/a/0/0.mvt', 400, 'invalid_tile', /z must be a whole number/],
    ['/tiles/parcels/99999999999/0/0.mvt', 400, 'invalid_tile', /z must be a whole number/],
    ['/tiles/parcels/1/0/0.mvt?debug=1', 400, 'unknown_parameter', /Unknown query parameter 'debug'/],
    ['/tiles/parcels/1/0.mvt', 404, 'route_not_found', /No API route/],
  ])('GET %s → %i %s', (path, status, code, detail) => expectError(server, path, status, code, detail));
});
