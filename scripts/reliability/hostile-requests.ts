// Requests to every public route with every parameter drawn from a mix of valid values,
// boundary values, SQL injection attempts, random text and random bytes, plus hostile
// headers (If-None-Match, Accept, Accept-Encoding, X-Request-Id) and malformed JSON
// bodies. Shared by the fuzz test (test/server/fuzz.int.test.ts) and the fuzz figures
// (scripts/reliability/fuzz.ts). Whatever is drawn, the server must answer below 500,
// and an error as JSON {error, detail}.
import fc from 'fast-check';
import type { Dispatcher } from 'undici';
import { layers } from '../../server/layers/registry.ts';
import { filterableFields } from '../../server/ogc/params.ts';
import { crsUris } from '../../server/ogc/crs.ts';

export type HostileRequest = {
  /** Which route (for counting coverage), e.g. "GET /api/search". */
  route: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** Path and query exactly as sent (already percent-encoded). */
  path: string;
  headers: Record<string, string>;
  body?: string;
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
