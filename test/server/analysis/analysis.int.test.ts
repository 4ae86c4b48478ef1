import { execFileSync } from 'node:child_process';
import * as turf from '@turf/turf';
import type { FeatureCollection, Point, Polygon, MultiPolygon, LineString, MultiLineString } from 'geojson';
import { Geodesic } from 'geographiclib-geodesic';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VN2000_LANG_SON_TM3 } from '../../../server/analysis/crs.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { expectError, startTestServer, type TestServer } from '../../support/http.ts';
import { loadTestParcels } from '../../support/parcels.ts';

type Near = { id: string; distance_m: number };

/** Exact geodesic distance on WGS 84 (Karney), in metres. */
const geodesic = ([lon1, lat1]: number[], [lon2, lat2]: number[]) => Geodesic.WGS84.Inverse(lat1!, lon1!, lat2!, lon2!).s12!;

describeEachBackend('site analysis', ({ db }) => {
  let server: TestServer;
  const json = async <T>(path: string) => {
    const res = await server.get(path);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const layer = <G extends Point | Polygon | MultiPolygon | LineString | MultiLineString>(id: string) =>
    json<FeatureCollection<G>>(`/api/layers/${id}`);

  beforeAll(async () => {
    // Many whole-layer analyses in a row: the per-caller rate is lifted here, tested on its own.
    server = await startTestServer(db(), { heavyWork: { analysis: { perMinute: 10_000 } } });
  });
  afterAll(() => server.close());

  it('measures a gate to the city centre along the ellipsoid, to the metre', async () => {
    const gates = await layer<Point>('border_gates');
    const places = await layer<Point>('places');
    const centre = places.features.find((f) => f.properties!.feature_code === 'PPLA' && f.properties!.in_lang_son)!;
    for (const gate of gates.features) {
      const result = await json<{ city_centre: { name_vi: string; distance_m: number }; nearest_gate: Near }>(
        `/api/analysis/proximity?layer=border_gates&id=${gate.id}`,
      );
      expect(result.city_centre.name_vi).toBe('Lạng Sơn');
      expect(Math.abs(result.city_centre.distance_m - geodesic(gate.geometry.coordinates, centre.geometry.coordinates))).toBeLessThan(1.5);
      expect(result.nearest_gate).toMatchObject({ id: gate.id, distance_m: 0 });
    }
  });

  it('answers for a feature of every layer, named or not (land parcels have numbers)', async () => {
    await loadTestParcels(db(), { count: 3 });
    const { layers } = await json<{ layers: { id: string }[] }>('/api/layers');
    for (const { id: layerId } of layers) {
      const { features } = await json<FeatureCollection>(`/ogc/collections/${layerId}/items?limit=1&f=json`);
      expect(features.length, layerId).toBe(1);
      const result = await json<{ feature: { layer: string; name_vi: string | null }; nearest_gate: Near }>(
        `/api/analysis/proximity?layer=${layerId}&id=${features[0]!.id}`,
      );
      expect(result.feature.layer).toBe(layerId);
      expect(result.nearest_gate.distance_m).toBeGreaterThanOrEqual(0);
    }
  });

  it('finds the nearest gate and expressway of every zone (checked against Turf, ±0.5 %)', async () => {
    const gates = await layer<Point>('border_gates');
    const roads = await layer<LineString | MultiLineString>('expressways');
    for (const layerId of ['industrial_parks', 'industrial_clusters']) {
      const zones = await layer<Polygon | MultiPolygon>(layerId);
      for (const zone of zones.features) {
        const result = await json<{ nearest_gate: Near; nearest_expressway: Near; method: string }>(
          `/api/analysis/proximity?layer=${layerId}&id=${zone.id}`,
        );
        // Turf: distance from each gate to the zone (0 inside), on a sphere.
        const gateDistances = gates.features.map((g) => ({
          id: String(g.id),
          m: Math.max(0, turf.pointToPolygonDistance(g, zone.geometry, { units: 'meters' })),
        }));
        const nearest = gateDistances.sort((a, b) => a.m - b.m)[0]!;
        expect(result.nearest_gate.id, `${zone.id}`).toBe(nearest.id);
        expect(result.nearest_gate.distance_m).toBeCloseTo(nearest.m, -Math.ceil(Math.log10(Math.max(10, nearest.m * 0.005))));
        expect(Math.abs(result.nearest_gate.distance_m - nearest.m)).toBeLessThanOrEqual(Math.max(5, nearest.m * 0.005));
        const roadIds = roads.features.map((r) => String(r.id));
        expect(roadIds).toContain(result.nearest_expressway.id);
        expect(result.method).toMatch(/straight-line geodesic/);
      }
    }
  });

  it('lists the zones within a radius of a point, nearest first, and draws the buffer', async () => {
    const from = [106.7112, 21.97515]; // Hữu Nghị border post (GeoNames)
    const result = await json<{ features: (Near & { layer: string })[]; buffer: { geometry: Polygon } }>(
      `/api/analysis/within?from=${from.join(',')}&radius_km=30`,
    );
    const zones = [...(await layer<Polygon | MultiPolygon>('industrial_parks')).features, ...(await layer<Polygon | MultiPolygon>('industrial_clusters')).features];
    const expected = zones
      .map((z) => ({ id: String(z.id), m: Math.max(0, turf.pointToPolygonDistance(turf.point(from), z.geometry, { units: 'meters' })) }))
      .filter((z) => z.m <= 30_000 * 0.995)
      .map((z) => z.id);
    const found = result.features.map((f) => f.id);
    expect(found).toEqual(expect.arrayContaining(expected));
    expect(found.length).toBeGreaterThan(0);
    for (const f of result.features) expect(f.distance_m).toBeLessThanOrEqual(30_000);
    expect(result.features.map((f) => f.distance_m)).toEqual([...result.features.map((f) => f.distance_m)].sort((a, b) => a - b));
    // The buffer's edge is 30 km from the point.
    const edge = result.buffer.geometry.coordinates[0]![0]!;
    expect(Math.abs(geodesic(from, edge) - 30_000)).toBeLessThan(30_000 * 0.01);
  });

  it('measures "within X km of an expressway" from the nearest of all expressways', async () => {
    const result = await json<{ features: Near[]; from: { layer: string; id: string | null } }>(`/api/analysis/within?from=expressways&radius_km=5`);
    expect(result.from).toMatchObject({ layer: 'expressways', id: null });
    for (const f of result.features) {
      const proximity = await json<{ nearest_expressway: Near }>(`/api/analysis/proximity?layer=${f.id.startsWith('ccn') ? 'industrial_clusters' : 'industrial_parks'}&id=${f.id}`);
      expect(Math.abs(proximity.nearest_expressway.distance_m - f.distance_m)).toBeLessThanOrEqual(1);
    }
  });

  // Independently of the route: the least distance from each zone to any single feature
  // of the origin layer, pair by pair, as the layer draws it (communes: geom_display).
  const nearestPerPair = async (origin: string, radiusM: number) =>
    db().query<{ id: string; m: number }>(
      `SELECT z.id, round(min(ST_Distance(o.g::geography, z.geom::geography))::numeric) AS m
       FROM (${origin}) o, zones z WHERE z.kind IN ('industrial_park', 'industrial_cluster')
       GROUP BY z.id HAVING min(ST_Distance(o.g::geography, z.geom::geography)) <= $1 ORDER BY m, z.id`,
      [radiusM],
    );

  it.each([
    ['border_gates', 20, 'SELECT geom AS g FROM border_gates'],
    ['expressways', 10, "SELECT geom AS g FROM projects WHERE kind = 'expressway'"],
    ['communes', 500, 'SELECT geom_display AS g FROM communes'],
    ['communes', 5, 'SELECT geom_display AS g FROM communes'],
  ])('measures within from the whole layer %s (%i km) as the distance to its nearest feature, pair by pair in SQL', async (from, km, origin) => {
    const result = await json<{ features: (Near & { layer: string })[] }>(`/api/analysis/within?from=${from}&radius_km=${km}`);
    const expected = await nearestPerPair(origin, km * 1000);
    expect(expected.length).toBeGreaterThan(0);
    expect(result.features.map((f) => f.id).sort()).toEqual(expected.map((e) => e.id).sort());
    const byId = new Map(expected.map((e) => [e.id, e.m]));
    for (const f of result.features) expect(Math.abs(f.distance_m - byId.get(f.id)!), f.id).toBeLessThanOrEqual(1);
  });

  it('finds the zones within 20 km of any border gate as Turf does (±0.5 %)', async () => {
    const gates = await layer<Point>('border_gates');
    const zones = [...(await layer<Polygon | MultiPolygon>('industrial_parks')).features, ...(await layer<Polygon | MultiPolygon>('industrial_clusters')).features];
    const result = await json<{ features: Near[] }>('/api/analysis/within?from=border_gates&radius_km=20');
    const turfNearest = new Map(
      zones.map((z) => [String(z.id), Math.min(...gates.features.map((g) => Math.max(0, turf.pointToPolygonDistance(g, z.geometry, { units: 'meters' }))))]),
    );
    const found = new Map(result.features.map((f) => [f.id, f.distance_m]));
    for (const [id, m] of turfNearest) {
      if (m <= 20_000 * 0.995) expect(found.has(id), id).toBe(true);
      if (m > 20_000 * 1.005) expect(found.has(id), id).toBe(false);
      if (found.has(id)) expect(Math.abs(found.get(id)! - m), id).toBeLessThanOrEqual(Math.max(5, m * 0.005));
    }
  });

  /** Vertices of a buffer's rings, and the least distance (Turf, m) from each to the expressways. */
  const bufferDistances = async (km: number) => {
    const roads = await layer<LineString | MultiLineString>('expressways');
    const result = await json<{ buffer: { geometry: Polygon | MultiPolygon } }>(`/api/analysis/within?from=expressways&radius_km=${km}`);
    const g = result.buffer.geometry;
    const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
    const lines = roads.features.flatMap((r) => (r.geometry.type === 'LineString' ? [r.geometry.coordinates] : r.geometry.coordinates)).map((c) => turf.lineString(c));
    return rings.flat().map((p) => Math.min(...lines.map((line) => turf.pointToLineDistance(p, line, { units: 'meters' }))));
  };

  it('draws the buffer of a whole layer with its edge at the radius from the nearest feature (±2 %)', async () => {
    const distances = await bufferDistances(5);
    expect(distances.length).toBeGreaterThan(20);
    for (const m of distances) expect(Math.abs(m - 5_000)).toBeLessThan(5_000 * 0.02);
  });

  it('draws the buffer again once the layer has changed (buffers are kept per table revision)', async () => {
    const before = await bufferDistances(5);
    // Far from the expressways: the old buffer's vertices are then ~1° from any of them.
    await db().query(`UPDATE projects SET geom = ST_Translate(geom, 1, 0) WHERE kind = 'expressway'`);
    try {
      await eventually(async () => {
        for (const m of await bufferDistances(5)) expect(Math.abs(m - 5_000)).toBeLessThan(5_000 * 0.02);
      });
    } finally {
      await db().query(`UPDATE projects SET geom = ST_Translate(geom, -1, 0) WHERE kind = 'expressway'`);
    }
    await eventually(async () => expect(await bufferDistances(5)).toEqual(before));
  });

  it('gives a point in VN-2000 exactly as GDAL/PROJ computes it', async () => {
    const [lon, lat] = [106.758, 21.848];
    const result = await json<{ commune: string; vn2000: { tm3_lang_son: { x_northing: number; y_easting: number }; utm48n: { x_northing: number; y_easting: number } } }>(
      `/api/analysis/point?lon=${lon}&lat=${lat}`,
    );
    const gdal = (target: string) =>
      execFileSync('gdaltransform', ['-s_srs', '+proj=longlat +datum=WGS84 +no_defs', '-t_srs', target], { input: `${lon} ${lat}\n`, encoding: 'utf8' })
        .trim()
        .split(/\s+/)
        .map(Number);
    const [tm3E, tm3N] = gdal(VN2000_LANG_SON_TM3);
    const [utmE, utmN] = gdal('EPSG:3405');
    expect(result.vn2000.tm3_lang_son.y_easting).toBeCloseTo(tm3E!, 2);
    expect(result.vn2000.tm3_lang_son.x_northing).toBeCloseTo(tm3N!, 2);
    expect(result.vn2000.utm48n.y_easting).toBeCloseTo(utmE!, 2);
    expect(result.vn2000.utm48n.x_northing).toBeCloseTo(utmN!, 2);
    expect(result.commune).toBe('Lương Văn Tri');
  });

  it('lists targets that have no names or status (communes, land parcels), and refuses layers too large to measure from or to search', async () => {
    const communes = await json<{ features: { id: string; name_vi: string | null; status: string | null }[] }>(
      '/api/analysis/within?from=106.76,21.85&radius_km=3&layers=communes',
    );
    expect(communes.features.length).toBeGreaterThan(0);
    for (const f of communes.features) expect(f).toMatchObject({ name_vi: expect.any(String), status: null });
    await loadTestParcels(db(), { count: 50 });
    const parcels = await json<{ features: { name_vi: string | null }[] }>('/api/analysis/within?from=106.76,21.85&radius_km=20&layers=parcels');
    expect(parcels.features.length).toBe(50);
    expect(parcels.features.every((f) => f.name_vi === null)).toBe(true);
    // More parcels than a layer measured from as a whole or searched may have.
    await loadTestParcels(db(), { count: 1_001 });
    await eventually(() => expectError(server, '/api/analysis/within?from=parcels&radius_km=1', 400, 'origin_too_large', /Layer 'parcels' is too large .*more than 1,000 features.*Choose one feature \(from=parcels\/<id>\)/));
    await expectError(server, '/api/analysis/within?from=border_gates&radius_km=1&layers=parcels', 400, 'too_many_targets', /too large to search/);
    const [one] = await db().query<{ id: string }>('SELECT id FROM parcels ORDER BY id LIMIT 1');
    expect((await server.get(`/api/analysis/within?from=parcels/${one!.id}&radius_km=1`)).status).toBe(200);
  });

  it.each([
    ['/api/analysis/proximity?layer=industrial_parks', 400, /'id'/],
    ['/api/analysis/proximity?layer=nope&id=x', 404, /Unknown layer 'nope'/],
    // Found by the fuzz run: parcels have no names, and the query asked for them, a 500.
    ['/api/analysis/proximity?layer=parcels&id=x', 404, /no feature 'x'/],
    ['/api/analysis/proximity?layer=industrial_parks&id=missing', 404, /no feature 'missing'/],
    ['/api/analysis/within?from=106.7,21.9&radius_km=0', 400, /more than 0 km/],
    ['/api/analysis/within?from=106.7,21.9&radius_km=-3', 400, /more than 0 km/],
    ['/api/analysis/within?from=106.7,21.9&radius_km=501', 400, /at most 500 km/],
    ['/api/analysis/within?from=106.7,21.9&radius_km=far', 400, /'radius_km' must be a number/],
    ['/api/analysis/within?from=200,21.9&radius_km=5', 400, /lon,lat/],
    ['/api/analysis/within?from=a/b/c&radius_km=5', 400, /layer\/id, a layer, or lon,lat/],
    ['/api/analysis/within?from=border_gates/nope&radius_km=5', 404, /no feature 'nope'/],
    // An id no feature can have was a 500 (an unhandled validation error).
    ['/api/analysis/within?from=border_gates/NOPE!&radius_km=5', 400, /'NOPE!' is not a valid feature id/],
    ['/api/analysis/within?from=border_gates&radius_km=5&layers=nope', 404, /Unknown layer 'nope'/],
    ['/api/analysis/point?lon=106', 400, /'lat'/],
    ['/api/analysis/point?lon=999&lat=21', 400, /'lon'/],
    // Found by the fuzz run: far from VN-2000's meridians PROJ refused to project, a 500.
    ['/api/analysis/point?lon=7&lat=0', 400, /where VN-2000 is defined/],
  ])('GET %s → %i', async (path, status, detail) => {
    const res = await server.get(path);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
  });
});
