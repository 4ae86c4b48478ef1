import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Feature, FeatureCollection } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vn2000Tm3 } from '../../../server/analysis/crs.ts';
import { BODY_LIMITS } from '../../../server/http/bodies.ts';
import { publicClient, userClient, type Client } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

type Report = {
  committed: boolean;
  counts: { create: number; update: number; unchanged: number; invalid: number };
  rows: { ref: string; id: string | null; action: string | null; errors: { field: string; code: string; message: { vi: string; en: string } }[]; geometry: unknown }[];
  ignoredProperties: string[];
  warnings: { vi: string; en: string }[];
};
type Refusal = { error: string; code?: string; detail: string; message?: { vi: string; en: string } };

const square = (lon: number, lat: number, d = 0.01) => [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]];
const cluster = (id: string, extra: Record<string, unknown> = {}, geometry: unknown = { type: 'Polygon', coordinates: square(106.5, 21.6) }) => ({
  type: 'Feature',
  id,
  properties: { name_vi: `Cụm ${id}`, name_en: `Cluster ${id}`, status: 'planned', sources: ['SEED-001'], source_date: '2025-12-01', accuracy: 'surveyed', area_ha: 40, ...extra },
  geometry,
});
const fc = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

/** Runs GDAL's ogr2ogr: an independent writer of shapefiles in another CRS. */
function ogrShapefile(geojson: string, targetSrs: string, keepPrj = true): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-shp-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.geojson'), geojson);
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', targetSrs, '-lco', 'ENCODING=UTF-8', path.join(dir, 'out.shp'), path.join(dir, 'in.geojson')]);
    const files: Record<string, Uint8Array> = {};
    for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) {
      if ((ext !== 'prj' || keepPrj) && fs.existsSync(path.join(dir, `out.${ext}`))) files[`out.${ext}`] = fs.readFileSync(path.join(dir, `out.${ext}`));
    }
    return zipSync(files);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeEachBackend('import and export', ({ db }) => {
  let server: TestServer;
  let editor: Client;
  let viewer: Client;
  beforeAll(async () => {
    // One editor imports and exports many files in a row: the heavy-work rates are lifted
    // here, tested on their own (test/server/http/heavy-work*.test.ts).
    server = await startTestServer(db(), { heavyWork: { import: { perMinute: 10_000 }, export: { perMinute: 10_000 } } });
    editor = await userClient(db(), server, 'editor');
    viewer = await userClient(db(), server, 'viewer');
  });
  afterAll(() => server.close());

  const upload = (mode: 'preview' | 'commit', layer: string, filename: string, body: Uint8Array | string, client: Client = editor) =>
    server.request(`/api/import/${layer}/${mode}?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { Cookie: client.cookie!, 'X-CSRF-Token': client.csrf!, 'Content-Type': 'application/octet-stream' },
      body: typeof body === 'string' ? body : Buffer.from(body),
    });
  const exported = async (layer: string, format: string, client: Client = editor) => {
    const res = await client.send('GET', `/api/export/${layer}?format=${format}`);
    expect(res.status, `${layer} ${format}`).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  };
  const layerOf = async (layer: string) => (await (await editor.send('GET', `/api/layers/${layer}`)).json()) as FeatureCollection;
  const writes = async () => (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM feature_history'))[0]!.n;
  const comparable = (collection: FeatureCollection) =>
    Object.fromEntries(collection.features.map((f) => {
      const { version: _v, updated_at: _u, ...properties } = f.properties!;
      return [f.id, { properties, geometry: f.geometry }];
    }));

  describe('export', () => {
    it.each(['geojson', 'kml', 'kmz', 'shapefile', 'csv'])('exports %s with internal fields for staff only', async (format) => {
      await db().query("UPDATE zones SET internal_notes = 'secret auction plan' WHERE id = 'vsip-lang-son'");
      const text = (bytes: Uint8Array) =>
        format === 'kmz' || format === 'shapefile' ? Object.values(unzipSync(bytes)).map((f) => Buffer.from(f).toString('utf8')).join('\n') : Buffer.from(bytes).toString('utf8');
      const staff = text(await exported('industrial_parks', format, viewer));
      expect(staff).toContain('secret auction plan');
      expect(staff).toContain('internal_n');
      const res = await server.get(`/api/export/industrial_parks?format=${format}`);
      expect(res.headers.get('vary')).toMatch(/Cookie/);
      const pub = text(new Uint8Array(await res.arrayBuffer()));
      expect(pub).not.toContain('secret auction plan');
      expect(pub).not.toContain('internal_n');
      expect(pub).toContain('VSIP');
    });

    it('exports points as lon/lat columns and refuses that for areas', async () => {
      const csv = Buffer.from(await exported('border_gates', 'csv_lonlat')).toString('utf8');
      expect(csv.split('\r\n')[0]).toMatch(/^\uFEFFid,.*,lon,lat$/);
      expect((await editor.send('GET', '/api/export/industrial_parks?format=csv_lonlat')).status).toBe(400);
      expect((await editor.send('GET', '/api/export/industrial_parks?format=docx')).status).toBe(400);
    });
  });

  describe('round trips', () => {
    it.each([
      ['geojson', 'zones.geojson'],
      ['kml', 'zones.kml'],
      ['kmz', 'zones.kmz'],
      ['shapefile', 'zones.zip'],
      ['csv', 'zones.csv'],
    ])('%s: export → import into an emptied layer gives back every feature unchanged', async (format, filename) => {
      await db().query("UPDATE zones SET internal_fields = ARRAY['difficulties'], internal_notes = 'kept' WHERE id = 'vsip-lang-son'");
      const original = await layerOf('industrial_parks');
      const file = await exported('industrial_parks', format);
      // Importing it again over the same data changes nothing.
      const same = (await (await upload('preview', 'industrial_parks', filename, file)).json()) as Report;
      expect(same.counts).toEqual({ create: 0, update: 0, unchanged: original.features.length, invalid: 0 });
      await db().query("DELETE FROM zones WHERE kind = 'industrial_park'");
      const res = await upload('commit', 'industrial_parks', filename, file);
      const report = (await res.json()) as Report;
      expect(res.status, JSON.stringify(report.rows.filter((r) => r.errors.length))).toBe(200);
      expect(report.counts.create).toBe(original.features.length);
      expect(report.ignoredProperties).toEqual([]);
      expect(comparable(await layerOf('industrial_parks'))).toEqual(comparable(original));
    });
  });

  describe('coordinate systems', () => {
    it('honours a shapefile .prj (VN-2000 / UTM 48N written by GDAL) and reprojects to WGS 84', async () => {
      const geometry = { type: 'Polygon', coordinates: square(106.7, 21.85, 0.02) };
      // GDAL writes lists to dBASE in its own notation: give the source as plain text.
      const zip = ogrShapefile(fc(cluster('ccn-vn2000', { sources: 'SEED-001' }, geometry)), 'EPSG:3405');
      const report = (await (await upload('preview', 'industrial_clusters', 'survey.zip', zip)).json()) as Report;
      expect(report.rows[0]!.errors).toEqual([]);
      const ring = (report.rows[0]!.geometry as { coordinates: number[][][] }).coordinates[0]!;
      // Shapefiles run outer rings clockwise: compare corners, not their order.
      expect(ring).toHaveLength(5);
      for (const [lon, lat] of geometry.coordinates[0]!) {
        expect(ring.some(([x, y]) => Math.abs(x! - lon!) < 1e-7 && Math.abs(y! - lat!) < 1e-7), `${lon},${lat}`).toBe(true);
      }
    });
  });

  describe('malformed files: a clear error and nothing written', () => {
    const bowtie = { type: 'Polygon', coordinates: [[[106.5, 21.6], [106.52, 21.62], [106.52, 21.6], [106.5, 21.62], [106.5, 21.6]]] };
    const zipOf = (files: Record<string, string | Uint8Array>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])));
    const goodShp = () => unzipSync(ogrShapefile(fc(cluster('ccn-shp')), 'EPSG:4326'));
    const projectedShp = () => unzipSync(ogrShapefile(fc(cluster('ccn-shp')), 'EPSG:3405'));
    const kml = (body: string) => `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${body}</Document></kml>`;
    const placemark = '<Placemark><name>Cụm KML</name><Polygon><outerBoundaryIs><LinearRing><coordinates>106.5,21.6 106.51,21.6 106.51,21.61 106.5,21.6</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>';

    // [what, file name, body, expected file-level code | expected row-level code]
    const cases: [string, string, () => Uint8Array | string, { file?: string; row?: string; status?: number }][] = [
      ['an empty file', 'empty.geojson', () => '', { file: 'empty_file' }],
      ['an unsupported format', 'report.docx', () => 'PK whatever', { file: 'unsupported_format' }],
      ['GeoJSON that is not JSON', 'broken.geojson', () => '{"type": "FeatureCollection", "features": [', { file: 'bad_json' }],
      ['GeoJSON in invalid UTF-8', 'latin.geojson', () => new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), { file: 'bad_json' }],
      ['JSON that is not GeoJSON', 'list.json', () => '[1, 2, 3]', { file: 'not_geojson' }],
      ['GeoJSON declaring another CRS', 'utm.geojson', () => JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3405' } }, features: [cluster('a')] }), { file: 'unsupported_crs' }],
      ['GeoJSON without features', 'none.geojson', () => fc(), { file: 'no_features' }],
      ['a self-intersecting polygon', 'bowtie.geojson', () => fc(cluster('ccn-bowtie', {}, bowtie)), { row: 'geometry_invalid' }],
      ['metres given as degrees (wrong CRS)', 'metres.geojson', () => fc(cluster('ccn-m', {}, { type: 'Polygon', coordinates: [[[677000, 2418000], [678000, 2418000], [678000, 2419000], [677000, 2418000]]] })), { row: 'geometry_malformed' }],
      ['a zone outside the province', 'hanoi.geojson', () => fc(cluster('ccn-hn', {}, { type: 'Polygon', coordinates: square(105.8, 21.0) })), { row: 'outside_province' }],
      ['a point in an area layer', 'point.geojson', () => fc(cluster('ccn-pt', {}, { type: 'Point', coordinates: [106.5, 21.6] })), { row: 'geometry_type' }],
      ['a feature without geometry', 'nogeom.geojson', () => fc(cluster('ccn-null', {}, null)), { row: 'geometry_missing' }],
      ['missing required values', 'noname.geojson', () => fc(cluster('ccn-noname', { name_vi: null })), { row: 'required' }],
      ['a status outside the vocabulary', 'status.geojson', () => fc(cluster('ccn-status', { status: 'done' })), { row: 'vocabulary' }],
      ['occupied land above leasable land', 'land.geojson', () => fc(cluster('ccn-land', { leasable_ha: 10, occupied_ha: 20 })), { row: 'occupied_over_leasable' }],
      ['a date in the future', 'future.geojson', () => fc(cluster('ccn-future', { source_date: '2999-01-01' })), { row: 'date_future' }],
      // Found by the fuzz test (a 500): a NUL inside a list reached PostgreSQL.
      ['a control character in a list of sources', 'nul.geojson', () => fc(cluster('ccn-nul', { sources: ['SEED-001\u0000'] })), { row: 'invalid_character' }],
      ['a bad id', 'id.geojson', () => fc(cluster('Not An Id!')), { row: 'id_format' }],
      ['a park id imported as a cluster', 'park.geojson', () => fc(cluster('vsip-lang-son')), { row: 'id_taken' }],
      ['one good and one bad feature (all or nothing)', 'mixed.geojson', () => fc(cluster('ccn-good'), cluster('ccn-bad', { status: 'nope' })), { row: 'vocabulary' }],
      ['KML that is not XML', 'broken.kml', () => '<kml><Document><Placemark>', { file: 'bad_xml' }],
      ['XML that is not KML', 'gpx.kml', () => '<?xml version="1.0"?><gpx></gpx>', { file: 'not_kml' }],
      ['KML without placemarks', 'empty.kml', () => kml(''), { file: 'no_features' }],
      ['KML missing required values', 'bare.kml', () => kml(placemark), { row: 'required' }],
      ['a broken KMZ', 'broken.kmz', () => new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), { file: 'bad_zip' }],
      ['a KMZ without KML', 'nokml.kmz', () => zipOf({ 'readme.txt': 'hello' }), { file: 'no_kml_in_kmz' }],
      ['a zip that is not a zip', 'shapes.zip', () => 'not a zip at all', { file: 'bad_zip' }],
      ['a zip without a shapefile', 'docs.zip', () => zipOf({ 'notes.txt': 'x' }), { file: 'no_shapefile' }],
      ['a shapefile without its .dbf', 'nodbf.zip', () => { const f = goodShp(); return zipOf({ 'out.shp': f['out.shp']!, 'out.shx': f['out.shx']! }); }, { file: 'missing_shapefile_part' }],
      ['two shapefiles in one zip', 'two.zip', () => { const f = goodShp(); return zipOf({ ...f, 'b.shp': f['out.shp']!, 'b.dbf': f['out.dbf']! }); }, { file: 'several_shapefiles' }],
      ['a corrupted .shp', 'corrupt.zip', () => { const f = goodShp(); return zipOf({ ...f, 'out.shp': f['out.shp']!.slice(0, 60) }); }, { file: 'bad_shapefile' }],
      ['a bad .prj', 'badprj.zip', () => zipOf({ ...goodShp(), 'out.prj': 'PROJCS["nonsense", GEOGCS[' }), { file: 'unknown_crs' }],
      ['projected coordinates without .prj', 'noprj.zip', () => { const { 'out.prj': _prj, ...rest } = projectedShp(); return zipOf(rest); }, { file: 'missing_prj' }],
      ['CSV without geometry columns', 'table.csv', () => 'id,name_vi\nccn-x,Cụm X\n', { file: 'no_geometry_columns' }],
      ['CSV with unbalanced quotes', 'quotes.csv', () => 'id,name_vi,wkt\nccn-x,"Cụm X,POINT(1 2)\n', { file: 'bad_csv' }],
      ['CSV with only a header', 'header.csv', () => 'id,name_vi,wkt\n', { file: 'no_features' }],
      ['CSV with broken WKT', 'wkt.csv', () => 'id,name_vi,wkt\nccn-x,Cụm X,"POLYGON((106.5 21.6, 106.6"\n', { row: 'geometry_malformed' }],
      ['CSV with longitudes out of range', 'lonlat.csv', () => 'id,name_vi,lon,lat\nccn-x,Cụm X,406.5,21.6\n', { row: 'geometry_malformed' }],
    ];

    it(`has at least 30 cases (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(30));

    it.each(cases)('%s (%s)', async (_what, filename, body, expected) => {
      const before = await writes();
      const res = await upload('commit', 'industrial_clusters', filename, body());
      expect(res.status).toBe(422);
      if (expected.file) {
        const refusal = (await res.json()) as Refusal;
        expect(refusal).toMatchObject({ error: 'import_failed', code: expected.file });
        expect(refusal.message!.vi.length).toBeGreaterThan(5);
        expect(refusal.message!.en.length).toBeGreaterThan(5);
      } else {
        const report = (await res.json()) as Report;
        expect(report.committed).toBe(false);
        const codes = report.rows.flatMap((r) => r.errors.map((e) => e.code));
        expect(codes, JSON.stringify(report.rows.map((r) => r.errors))).toContain(expected.row);
        for (const row of report.rows) for (const e of row.errors) expect(e.message.en.length).toBeGreaterThan(3);
      }
      expect(await writes()).toBe(before);
    });

    it('refuses a file over 50 MB with 413, before reading it', async () => {
      const before = await writes();
      const res = await upload('commit', 'industrial_clusters', 'huge.geojson', new Uint8Array(BODY_LIMITS.importFile + 1));
      expect(res.status).toBe(413);
      expect((await res.json()).error).toBe('payload_too_large');
      expect(await writes()).toBe(before);
    });

    it('refuses a feature changed since its export', async () => {
      const file = JSON.parse(Buffer.from(await exported('border_gates', 'geojson')).toString()) as FeatureCollection;
      const gate = file.features[0] as Feature & { id: string };
      const current = (await (await editor.send('GET', `/api/features/border_gates/${gate.id}`)).json()) as Feature;
      expect((await editor.send('PATCH', `/api/features/border_gates/${gate.id}`, { properties: { notes: 'newer' } }, { 'If-Match': `"${current.properties!.version}"` })).status).toBe(200);
      const before = await writes();
      const res = await upload('commit', 'border_gates', 'gates.geojson', JSON.stringify({ ...file, features: [{ ...gate, properties: { ...gate.properties, notes: 'older' } }] }));
      expect(res.status).toBe(422);
      expect(((await res.json()) as Report).rows[0]!.errors[0]!.code).toBe('changed_since_export');
      expect(await writes()).toBe(before);
    });
  });

  it('previews without writing, then commits all of it', async () => {
    const file = fc(cluster('ccn-preview-1'), cluster('ccn-preview-2', { status: 'approved' }));
    const before = await writes();
    const preview = (await (await upload('preview', 'industrial_clusters', 'two.geojson', file)).json()) as Report;
    expect(preview).toMatchObject({ committed: false, counts: { create: 2, update: 0, unchanged: 0, invalid: 0 } });
    expect(await writes()).toBe(before);
    expect((await server.get('/api/features/industrial_clusters/ccn-preview-1')).status).toBe(404);
    const commit = (await (await upload('commit', 'industrial_clusters', 'two.geojson', file)).json()) as Report;
    expect(commit.committed).toBe(true);
    expect(await writes()).toBe(before + 2);
    const served = (await (await server.get('/api/features/industrial_clusters/ccn-preview-2')).json()) as Feature;
    expect(served.properties!.status).toBe('approved');
    const history = await db().query<{ actor: string; note: string }>("SELECT actor, note FROM feature_history WHERE feature_id = 'ccn-preview-2'");
    expect(history).toEqual([{ actor: 'editor-user', note: 'import two.geojson' }]);
  });

  it('lists unknown columns as ignored and reads KML names as name_vi', async () => {
    const placemark = (name: string) =>
      `<Placemark><name>${name}</name><ExtendedData><Data name="name_en"><value>KML cluster</value></Data><Data name="status"><value>planned</value></Data>` +
      `<Data name="sources"><value>SEED-001</value></Data><Data name="source_date"><value>2025-11-30</value></Data><Data name="accuracy"><value>digitized</value></Data>` +
      `<Data name="area_ha"><value>12.5</value></Data><Data name="colour"><value>red</value></Data></ExtendedData>` +
      `<Polygon><outerBoundaryIs><LinearRing><coordinates>106.5,21.6 106.51,21.6 106.51,21.61 106.5,21.6</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>`;
    const text = `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${placemark('Cụm từ KML')}</Document></kml>`;
    const report = (await (await upload('preview', 'industrial_clusters', 'google.kml', text)).json()) as Report;
    expect(report.rows[0]).toMatchObject({ id: 'cum-tu-kml', action: 'create', errors: [] });
    expect(report.ignoredProperties).toEqual(['colour']);
  });

  describe('VN-2000 coordinate lists', () => {
    // Corners of a parcel near Lạng Sơn city, converted to VN-2000 TM-3 by GDAL/PROJ.
    const corners = [[106.75, 21.84], [106.755, 21.84], [106.755, 21.845], [106.75, 21.845]];
    const gdal = (centralMeridian: number) =>
      execFileSync('gdaltransform', ['-s_srs', '+proj=longlat +datum=WGS84 +no_defs', '-t_srs', vn2000Tm3(centralMeridian)], {
        input: corners.map((c) => c.join(' ')).join('\n') + '\n',
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);

    it.each([107.25, 107.75])('converts "point, X, Y" (central meridian %s) back to the GDAL corners, to the centimetre', async (meridian) => {
      const projected = gdal(meridian);
      const text = ['Số hiệu điểm\tX (m)\tY (m)', ...projected.map(([e, n], i) => `${i + 1}\t${n.toFixed(3).replace('.', ',')}\t${e.toFixed(3).replace('.', ',')}`)].join('\n');
      const res = await publicClient(server).send('POST', '/api/vn2000/parcel', { text, centralMeridian: meridian });
      expect(res.status).toBe(200);
      const parcel = (await res.json()) as { geometry: { coordinates: number[][][] }; points: { no: string; lon: number; lat: number }[]; area: { plane_m2: number; ellipsoid_m2: number }; valid: boolean };
      expect(parcel.valid).toBe(true);
      parcel.points.forEach((p, i) => {
        expect(p.no).toBe(String(i + 1));
        expect(Math.abs(p.lon - corners[i]![0]!)).toBeLessThan(1e-7); // ~1 cm
        expect(Math.abs(p.lat - corners[i]![1]!)).toBeLessThan(1e-7);
      });
      expect(parcel.geometry.coordinates[0]).toHaveLength(5);
      // ~517 m × 556 m: the plane and ellipsoid areas agree within the zone's scale distortion.
      expect(parcel.area.plane_m2).toBeGreaterThan(280_000);
      expect(Math.abs(parcel.area.plane_m2 / parcel.area.ellipsoid_m2 - 1)).toBeLessThan(0.002);
    });

    it.each([
      ['1, 560000, 2417000\n2, 560500, 2417000\n3, 560500, 2417500', /swapped/],
      ['1, 2417000, 560000\n2, 2417100, 560000', /at least 3/],
      ['1, 2417000\n2, 2417100, 560000\n3, 2417100, 560100', /Line 1/],
      ['1, 1000, 2000\n2, 1100, 2000\n3, 1100, 2100', /not VN-2000/],
    ])('explains what is wrong with %j', async (text, message) => {
      const res = await publicClient(server).send('POST', '/api/vn2000/parcel', { text });
      expect(res.status).toBe(422);
      const body = (await res.json()) as Refusal;
      expect(body.error).toBe('bad_coordinate_list');
      expect(body.message!.en).toMatch(message);
      expect(body.message!.vi).toMatch(/[^\x00-\x7F]/);
    });
  });
});
