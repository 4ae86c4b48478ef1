// Requests to every public route with every parameter drawn from a mix of valid values,
// boundary values, SQL injection attempts, random text and random bytes, plus hostile
// headers (If-None-Match, Accept, Accept-Encoding, X-Request-Id) and malformed JSON
// bodies. Shared by the fuzz test (test/server/fuzz.int.test.ts) and the fuzz figures
// (scripts/reliability/fuzz.ts). Whatever is drawn, the server must answer below 500,
// and an error as JSON {error, detail}.
import { strToU8, zipSync } from 'fflate';
import fc from 'fast-check';
import type { Dispatcher } from 'undici';
import type { AppDependencies } from '../../server/app.ts';
import { layers } from '../../server/layers/registry.ts';
import { filterableFields } from '../../server/ogc/params.ts';
import { crsUris } from '../../server/ogc/crs.ts';
import { accuracyClasses, statuses } from '../../server/layers/vocabulary.ts';
import { PrintRenderer, type PrintOptions } from '../../server/print/renderer.ts';

export type HostileRequest = {
  /** Which route (for counting coverage), e.g. "GET /api/search". */
  route: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** Path and query exactly as sent (already percent-encoded). */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
};

/** Classic injection strings: quotes, comments, stacked statements, casts, placeholders. */
export const SQL_INJECTIONS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE zones; --",
  "1; DELETE FROM zones",
  "'); UPDATE zones SET name_vi = 'x'; --",
  "' UNION SELECT internal_notes FROM zones --",
  "1' AND pg_sleep(5) IS NULL --",
  '$1',
  '$$; TRUNCATE border_gates; $$',
  '\\',
  "E'\\x27'",
  '"; DROP TABLE "sources"; --',
  "zones' || (SELECT current_user) || '",
  '%27%20OR%201%3D1',
  '1::text',
  "*/ DELETE FROM feature_history /*",
];

const layerIds = layers.map((l) => l.id);
const knownIds = ['ccn-na-duong-2', 'kcn-dong-dang', 'cua-khau-huu-nghi', '1', '0', '-1', 'x'];
const formats = ['json', 'geojson', 'html', 'csv', 'xlsx', 'pdf', 'png', 'mvt', 'xml', ''];

// Characters that break naive code: NUL (PostgreSQL text cannot hold it), lone
// surrogates, quotes, comment and statement separators, line breaks, bidi and BOM marks.
const nasty = fc.constantFrom('\u0000', 'a\u0000b', '\uD800', '\uDFFF', '%', '%zz', '\\', "'", '"', ';', '--', '\r\n', '\u202E', '\uFEFF', '../..', '/', ',', ',,,', '', ' ', '…', 'Đồng Đăng', '\u0301');

// Text of every kind: printable, any Unicode, control characters, and very long strings.
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  nasty,
  fc.string({ minLength: 500, maxLength: 3000, unit: 'grapheme-ascii' }),
);
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('0', '-0', '1e309', '-1e309', 'NaN', 'Infinity', '0x10', '1_000', '9'.repeat(40), '1.5', '-180', '180.0000001', '90', '4294967296'),
);

/** A value for a parameter: plausible for it, a plausible value spoiled, or hostile. */
const value = (...plausible: fc.Arbitrary<string>[]) => {
  const good = fc.oneof(...plausible);
  return fc.oneof(
    { weight: 3, arbitrary: good },
    { weight: 2, arbitrary: fc.tuple(good, nasty).map(([v, bad]) => v + bad) },
    { weight: 2, arbitrary: anyText },
    { weight: 1, arbitrary: numberText },
    { weight: 2, arbitrary: fc.constantFrom(...SQL_INJECTIONS) },
  );
};

const coordinate = fc.double({ min: -200, max: 200, noNaN: true }).map((n) => n.toFixed(4));
const bbox = fc.oneof(
  fc.tuple(coordinate, coordinate, coordinate, coordinate).map((c) => c.join(',')),
  fc.constantFrom('106,21,108,23', '106.6,21.8,106.9,22', '-180,-90,180,90', '108,23,106,21', '1,2,3', '1,2,3,4,5,6', '600000,2400000,700000,2500000'),
);
const layerId = value(fc.constantFrom(...layerIds));
const featureId = value(fc.constantFrom(...knownIds));

/** Raw bytes, percent-encoded: invalid UTF-8 and NUL included. */
const rawBytes = fc.uint8Array({ maxLength: 24 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));

/** Percent-encodes every byte of a string's UTF-8 except unreserved characters (lone surrogates become U+FFFD). */
export const encode = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('');

const segment = (text: fc.Arbitrary<string>) => fc.oneof({ weight: 4, arbitrary: text.map(encode) }, { weight: 1, arbitrary: rawBytes });

/** name=value pairs, each present or not, sometimes repeated, plus an unknown parameter now and then. */
function query(params: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const pairs = Object.entries(params).map(([name, arb]) => fc.option(arb.map((v) => `${encode(name)}=${encode(v)}`), { nil: undefined, freq: 2 }));
  const names = Object.keys(params);
  // Present in one request of four: most requests should get past the unknown-parameter check.
  const extra = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    fc.tuple(anyText, anyText).map(([n, v]) => `${encode(n)}=${encode(v)}`),
    rawBytes.map((b) => `${b}=${b}`),
    fc.constantFrom(...names, 'q').map((n) => `${encode(n)}=1&${encode(n)}=2`),
    fc.constant('&&=&'),
  );
  return fc.tuple(fc.tuple(...pairs), extra).map(([given, more]) => {
    const parts = [...given, more].filter((p): p is string => p !== undefined);
    return parts.length ? `?${parts.join('&')}` : '';
  });
}

const get = (route: string, path: fc.Arbitrary<string>): fc.Arbitrary<Omit<HostileRequest, 'headers'>> =>
  path.map((p) => ({ route: `GET ${route}`, method: 'GET' as const, path: p }));

const ogcFilterNames = [...new Set(layers.flatMap((l) => filterableFields(l).map((f) => f.name)))];

const routes = [
  get('/api/layers', query({})).map((r) => ({ ...r, path: `/api/layers${r.path}` })),
  get('/api/layers/:id', fc.tuple(segment(layerId), query({ bbox: value(bbox), fields: value(fc.constantFrom('name_vi', 'status,name_vi', 'internal_notes', 'id,geom', 'name_vi,,')) })).map(([id, q]) => `/api/layers/${id}${q}`)),
  get('/api/features/:layer/:id', fc.tuple(segment(layerId), segment(featureId), query({})).map(([l, id, q]) => `/api/features/${l}/${id}${q}`)),
  get('/api/search', query({ q: value(fc.constantFrom('na duong', 'Đồng Đăng', 'huu nghi', 'kcn')), limit: value(fc.constantFrom('1', '10', '50', '51')) }).map((q) => `/api/search${q}`)),
  get('/api/analysis/proximity', query({ layer: layerId, id: featureId }).map((q) => `/api/analysis/proximity${q}`)),
  get(
    '/api/analysis/within',
    query({
      from: value(fc.constantFrom('industrial_clusters/ccn-na-duong-2', 'border_gates', '106.76,21.85', '200,100', 'a/b/c')),
      radius_km: value(fc.constantFrom('1', '10', '500', '501', '0', '-5')),
      layers: value(fc.constantFrom('industrial_parks', 'industrial_parks,border_gates', 'nope,')),
    }).map((q) => `/api/analysis/within${q}`),
  ),
  get('/api/analysis/point', query({ lon: value(coordinate), lat: value(coordinate) }).map((q) => `/api/analysis/point${q}`)),
  get('/api/reports/inventory', fc.tuple(fc.constantFrom(...formats), query({ lang: value(fc.constantFrom('vi', 'en')) })).map(([f, q]) => `/api/reports/inventory${f ? `.${f}` : ''}${q}`)),
  get(
    '/api/print/map',
    fc
      .tuple(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom('pdf', 'png') }, fc.constantFrom(...formats)),
        query({
          view: value(fc.constantFrom('lang=vi&map=9/21.8/106.7', 'layers=industrial_parks', 'javascript:alert(1)', '//evil.example/', '@evil.example')),
          paper: value(fc.constantFrom('A4', 'A3')),
          orientation: value(fc.constantFrom('landscape', 'portrait')),
          title: value(fc.constantFrom('Bản đồ', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>')),
        }),
      )
      .map(([f, q]) => `/api/print/map.${f}${q}`),
  ),
  get('/api/views', query({})).map((r) => ({ ...r, path: `/api/views${r.path}` })),
  get('/api/sources', query({})).map((r) => ({ ...r, path: `/api/sources${r.path}` })),
  get('/api/:unknown', fc.tuple(segment(anyText), segment(anyText)).map(([a, b]) => `/api/${a}/${b}`)),
  get('/tiles/:layer.json', fc.tuple(segment(layerId), query({})).map(([l, q]) => `/tiles/${l}.json${q}`)),
  get(
    '/tiles/:layer/:z/:x/:y.mvt',
    fc
      .tuple(segment(layerId), segment(value(fc.integer({ min: 0, max: 23 }).map(String))), segment(value(fc.nat(70_000).map(String))), segment(value(fc.nat(70_000).map(String))), fc.constantFrom('mvt', 'pbf', 'json', 'mvt.gz'))
      .map(([l, z, x, y, ext]) => `/tiles/${l}/${z}/${x}/${y}.${ext}`),
  ),
  get('/ogc/:document', fc.tuple(fc.constantFrom('', '/conformance', '/api', '/collections'), query({ f: value(fc.constantFrom(...formats)) })).map(([d, q]) => `/ogc${d}${q}`)),
  get('/ogc/collections/:id', fc.tuple(segment(layerId), query({ f: value(fc.constantFrom(...formats)) })).map(([id, q]) => `/ogc/collections/${id}${q}`)),
  get(
    '/ogc/collections/:id/items',
    fc
      .tuple(
        segment(layerId),
        query({
          f: value(fc.constantFrom(...formats)),
          limit: value(fc.constantFrom('1', '10', '10000', '10001', '0')),
          offset: value(fc.constantFrom('0', '5', '1000000000', '1000000001')),
          bbox: value(bbox),
          'bbox-crs': value(fc.constantFrom(...crsUris)),
          crs: value(fc.constantFrom(...crsUris)),
          datetime: value(fc.constantFrom('2024-05-01', '2020-01-01/..', '../2025-12-31T00:00:00Z', '2025-01-01/2020-01-01', '/')),
          ...Object.fromEntries(ogcFilterNames.slice(0, 8).map((n) => [n, value(fc.constantFrom('operating', 'planned', '12.5', '2024-01-01', '7'))])),
        }),
      )
      .map(([id, q]) => `/ogc/collections/${id}/items${q}`),
  ),
  get('/ogc/collections/:id/items/:featureId', fc.tuple(segment(layerId), segment(featureId), query({ f: value(fc.constantFrom(...formats)), crs: value(fc.constantFrom(...crsUris)) })).map(([l, id, q]) => `/ogc/collections/${l}/items/${id}${q}`)),
];

// Bodies where no route takes one yet (writes come with sign-in), and JSON that is
// malformed, deeply nested, or larger than it says.
const jsonish = fc.oneof(
  fc.json({ maxDepth: 4 }),
  anyText,
  fc.constantFrom('{', '{"a":', '[1,2', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', 'null', '"x"', '1e999999', '['.repeat(5000) + ']'.repeat(5000)),
);
const withBody = fc
  .tuple(fc.constantFrom('POST', 'PUT', 'DELETE') as fc.Arbitrary<'POST' | 'PUT' | 'DELETE'>, fc.constantFrom('/api/layers/zones', '/api/features/industrial_parks/x', '/api/views', '/api/auth/login', '/ogc/collections/industrial_parks/items', '/tiles/communes/0/0/0.mvt'), jsonish)
  .map(([method, path, body]) => ({ route: `${method} (body)`, method, path, body }));
const otherMethods = fc
  .tuple(fc.constantFrom('HEAD', 'OPTIONS') as fc.Arbitrary<'HEAD' | 'OPTIONS'>, fc.constantFrom('/api/layers', '/api/layers/border_gates', '/tiles/communes/5/25/14.mvt', '/ogc/collections'))
  .map(([method, path]) => ({ route: `${method}`, method, path }));

// Header values must be visible ASCII (the HTTP client refuses others before sending).
const headerText = fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')), fc.constantFrom(...SQL_INJECTIONS));
const headers = fc.record(
  {
    'if-none-match': fc.oneof(headerText, fc.constantFrom('*', 'W/"x"', '"a", W/"b"', ',,,', 'W/')),
    'accept-encoding': fc.oneof(headerText, fc.constantFrom('gzip', 'gzip;q=0', '*;q=0.5', 'br, gzip;q=abc', 'identity')),
    accept: fc.oneof(headerText, fc.constantFrom('text/html', 'application/geo+json', '*/*;q=0', 'image/png')),
    'x-request-id': headerText,
    'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
  },
  { requiredKeys: [] },
);

/** One hostile request to any public route. */
export const hostileRequest: fc.Arbitrary<HostileRequest> = fc
  .tuple(fc.oneof({ weight: 16, arbitrary: fc.oneof(...routes) }, { weight: 2, arbitrary: withBody }, { weight: 1, arbitrary: otherMethods }), headers)
  .map(([request, h]) => ({ ...request, headers: h }));

/** Every route the generator covers, for checking that a run reached each of them. */
export const hostileRoutes = [
  ...['/api/layers', '/api/layers/:id', '/api/features/:layer/:id', '/api/search', '/api/analysis/proximity', '/api/analysis/within', '/api/analysis/point', '/api/reports/inventory', '/api/print/map', '/api/views', '/api/sources', '/api/:unknown', '/tiles/:layer.json', '/tiles/:layer/:z/:x/:y.mvt', '/ogc/:document', '/ogc/collections/:id', '/ogc/collections/:id/items', '/ogc/collections/:id/items/:featureId'].map((r) => `GET ${r}`),
  'POST (body)',
  'PUT (body)',
  'DELETE (body)',
  'HEAD',
  'OPTIONS',
];

export type Answer = { status: number; contentType: string; body: string };

/** Sends one request exactly as drawn (undici sends the path as given, unnormalised). */
export async function send(pool: Dispatcher, request: HostileRequest): Promise<Answer> {
  const res = await pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
  const body = await res.body.text();
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body };
}

/** What is wrong with an answer, or null: below 500 always; an error as JSON {error, detail}. */
export function fault(request: HostileRequest, answer: Answer): string | null {
  if (answer.status >= 500) return `${answer.status}: ${answer.body.slice(0, 200)}`;
  if (answer.status < 400 || request.method === 'HEAD') return null;
  if (!answer.contentType.startsWith('application/json')) return `${answer.status} as ${answer.contentType || 'no content type'}`;
  try {
    const body = JSON.parse(answer.body) as { error?: unknown; detail?: unknown };
    return typeof body.error === 'string' && typeof body.detail === 'string' ? null : `${answer.status} without {error, detail}`;
  } catch {
    return `${answer.status} with a body that is not JSON`;
  }
}

// ---- Writes, for a signed-in editor: feature bodies and imported files ----

const thematicLayers = layers.filter((l) => l.table.thematic).map((l) => l.id);

// Coordinates in and around the province, anywhere on (or off) the globe, or not numbers at all.
const lonLat = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.double({ min: 106.2, max: 107.3, noNaN: true }), fc.double({ min: 21.3, max: 22.4, noNaN: true })) },
  fc.tuple(fc.double(), fc.double()),
  fc.constantFrom([1e308, -1e308], [181, 91], [0, 0], [106.5], [106.5, 21.6, 300, 7]),
);
const position = fc.oneof({ weight: 8, arbitrary: lonLat as fc.Arbitrary<unknown> }, fc.constantFrom('106,21', null, {}, ['a', 'b'], [[106.5, 21.6]]));
const ring = fc.oneof(
  // Closed, so it may well be a valid polygon.
  { weight: 3, arbitrary: fc.array(lonLat, { minLength: 3, maxLength: 12 }).map((points) => [...points, points[0]!]) },
  fc.array(position, { maxLength: 12 }),
  fc.constant(Array.from({ length: 5000 }, (_, i) => [106.5 + Math.cos(i) / 100, 21.6 + Math.sin(i * 1.01) / 100])),
);
const geometry: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ type: fc.constant('Polygon'), coordinates: fc.array(ring, { minLength: 1, maxLength: 3 }) }),
  fc.record({ type: fc.constant('MultiPolygon'), coordinates: fc.array(fc.array(ring, { minLength: 1, maxLength: 2 }), { maxLength: 3 }) }),
  fc.record({ type: fc.constant('Point'), coordinates: position }),
  fc.record({ type: fc.constant('LineString'), coordinates: fc.array(position, { maxLength: 8 }) }),
  fc.record({ type: fc.constantFrom('MultiLineString', 'GeometryCollection', 'Feature', 'Circle', ''), coordinates: fc.anything({ maxDepth: 3 }) }),
  fc.constantFrom(null, 'POLYGON((106 21,107 21,107 22,106 21))', 42, [], {}),
);
const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  value(fc.constantFrom(...statuses.map((s) => s.id), ...accuracyClasses.map((a) => a.id), 'Cụm Na Dương', '2025-12-01', 'SEED-001')),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(value(fc.constantFrom('SEED-001', 'x')), { maxLength: 4 }),
  fc.anything({ maxDepth: 2 }),
);
const fieldNames = ['name_vi', 'name_en', 'status', 'accuracy', 'sources', 'source_date', 'area_ha', 'leasable_ha', 'occupied_ha', 'notes', 'internal_notes', 'internal_fields', 'legal_basis', 'communes', 'kind', 'version', 'id', 'geom', '__proto__'];
const properties = fc.dictionary(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...fieldNames) }, anyText), fieldValue, { maxKeys: 10 });
/** A feature body as an editor's client would send it, spoiled in any part. */
const featureBody = fc.record(
  { id: fc.oneof(featureId, anyText), properties, geometry, repair: fc.oneof(fc.boolean(), anyText), note: anyText },
  { requiredKeys: ['properties'] },
);

// A cluster as the client would create it, valid unless one property is spoiled: so that
// writes are also accepted, not only refused.
const plausibleCluster = fc
  .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), fc.nat(10_000), fc.option(fc.tuple(fc.constantFrom(...fieldNames), fieldValue), { freq: 2, nil: undefined }))
  .map(([name, n, spoiled]) => ({
    properties: {
      name_vi: `Cụm ${name} ${n}`,
      name_en: `Cluster ${n}`,
      status: 'planned',
      sources: ['SEED-001'],
      source_date: '2025-12-01',
      accuracy: 'surveyed',
      ...(spoiled ? { [spoiled[0]]: spoiled[1] } : {}),
    },
    geometry: { type: 'Polygon', coordinates: [[[106.5, 21.6], [106.51, 21.6], [106.51, 21.61], [106.5, 21.6]]] },
  }));

const writeLayer = value(fc.constantFrom(...thematicLayers));
const ifMatch = fc.oneof(fc.constantFrom('"1"', '"2"', '*', 'W/"1"', '"0"', '"-1"', '"1e3"', '', '"'), headerText);
const writes: fc.Arbitrary<HostileRequest>[] = [
  plausibleCluster.map((body) => ({
    route: 'POST /api/features/:layer',
    method: 'POST' as const,
    path: '/api/features/industrial_clusters',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })),
  fc.tuple(segment(writeLayer), fc.oneof({ weight: 4, arbitrary: featureBody.map((b) => JSON.stringify(b)) }, jsonish)).map(([layer, body]) => ({
    route: 'POST /api/features/:layer',
    method: 'POST' as const,
    path: `/api/features/${layer}`,
    headers: { 'content-type': 'application/json' },
    body,
  })),
  fc
    .tuple(segment(writeLayer), segment(featureId), fc.oneof({ weight: 4, arbitrary: featureBody.map((b) => JSON.stringify(b)) }, jsonish), fc.option(ifMatch, { nil: undefined }))
    .map(([layer, id, body, version]): HostileRequest => ({
      route: 'PATCH /api/features/:layer/:id',
      method: 'PATCH' as const,
      path: `/api/features/${layer}/${id}`,
      headers: { 'content-type': 'application/json', ...(version === undefined ? {} : { 'if-match': version }) },
      body,
    })),
  fc.tuple(segment(writeLayer), segment(featureId), fc.option(ifMatch, { nil: undefined })).map(([layer, id, version]): HostileRequest => ({
    route: 'DELETE /api/features/:layer/:id',
    method: 'DELETE' as const,
    path: `/api/features/${layer}/${id}`,
    headers: version === undefined ? {} : { 'if-match': version },
  })),
];

// Files of every kind the import reads, well-formed or not, and bytes that are none.
const featureCollection = fc.array(fc.record({ type: fc.constant('Feature'), properties, geometry }), { maxLength: 5 }).map((features) => JSON.stringify({ type: 'FeatureCollection', features }));
const kml = fc.array(fc.tuple(anyText, fc.array(lonLat, { maxLength: 6 })), { maxLength: 4 }).map(
  (marks) =>
    `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${marks
      .map(([name, points]) => `<Placemark><name>${name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>${points.map((p) => p.join(',')).join(' ')}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>`)
      .join('')}</Document></kml>`,
);
const csv = fc.array(fc.tuple(anyText, fc.oneof(anyText, fc.constantFrom('POLYGON((106.5 21.6,106.51 21.6,106.51 21.61,106.5 21.6))', 'POINT(106 21)', 'POLYGON((0 0))'))), { maxLength: 5 }).map(
  (rows) => `name_vi,status,wkt\n${rows.map(([name, wkt]) => `"${name.replace(/"/g, '""')}",planned,"${wkt}"`).join('\n')}`,
);
const zipOf = fc.dictionary(fc.constantFrom('a.shp', 'a.shx', 'a.dbf', 'a.prj', 'a.cpg', 'b.shp', 'doc.kml', 'x/../../a.shp', 'a.attributes.json'), fc.uint8Array({ maxLength: 400 }), { maxKeys: 5 }).map(
  (files) => zipSync(files),
);
const fileBytes: fc.Arbitrary<{ name: string; bytes: Uint8Array }> = fc.oneof(
  featureCollection.map((text) => ({ name: 'file.geojson', bytes: new TextEncoder().encode(text) })),
  kml.map((text) => ({ name: 'file.kml', bytes: new TextEncoder().encode(text) })),
  fc.oneof(kml.map((text) => zipSync({ 'doc.kml': strToU8(text) })), zipOf).map((bytes) => ({ name: 'file.kmz', bytes })),
  zipOf.map((bytes) => ({ name: 'file.zip', bytes })),
  csv.map((text) => ({ name: 'file.csv', bytes: new TextEncoder().encode(text) })),
  fc.tuple(fc.constantFrom('x.geojson', 'x.kml', 'x.zip', 'x.csv', 'x.exe', 'x', '../../etc/passwd', '.geojson'), fc.uint8Array({ maxLength: 500 })).map(([name, bytes]) => ({ name, bytes })),
);
const imports = fc
  .tuple(segment(writeLayer), fileBytes, fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, anyText), fc.constantFrom('true', 'false', 'yes'))
  .map(([layer, file, name, repair]) => ({
    route: 'POST /api/import/:layer/preview',
    method: 'POST' as const,
    path: `/api/import/${layer}/preview?filename=${encode(name ?? file.name)}&repair=${repair}`,
    headers: { 'content-type': 'application/octet-stream' },
    body: Buffer.from(file.bytes),
  }));

/** One hostile write by a signed-in editor: a feature create, update or delete. */
export const hostileWrite: fc.Arbitrary<HostileRequest> = fc.oneof(...writes);
/** One hostile import preview (previews never keep anything). */
export const hostileImport: fc.Arbitrary<HostileRequest> = imports;
export const hostileWriteRoutes = ['POST /api/features/:layer', 'PATCH /api/features/:layer/:id', 'DELETE /api/features/:layer/:id'];

/**
 * Heavy work without per-caller rates: most generated analyses, prints and imports would
 * otherwise be 429s and never reach their handlers (the rates are tested on their own).
 */
export const FUZZ_HEAVY_WORK: AppDependencies['heavyWork'] = { analysis: { perMinute: 100_000 }, print: { perMinute: 100_000 }, export: { perMinute: 100_000 }, import: { perMinute: 100_000 } };

/** Prints nothing: records which page would have been printed (a fuzz run prints hundreds of times). */
export class RecordingPrinter extends PrintRenderer {
  readonly urls: string[] = [];
  constructor() {
    super('/nonexistent/chromium');
  }
  override available(): boolean {
    return true;
  }
  override async render(url: string, _options: PrintOptions): Promise<Buffer> {
    this.urls.push(url);
    return Buffer.from('printed');
  }
}

/** Whether a request carries one of the SQL injection strings (in its path, decoded, or its body). */
export function carriesInjection(request: HostileRequest): boolean {
  let text = String(request.body ?? '');
  try {
    text += decodeURIComponent(request.path);
  } catch {
    text += request.path; // raw bytes that are no UTF-8
  }
  return SQL_INJECTIONS.some((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
}
