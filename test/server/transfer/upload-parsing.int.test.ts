// Uploads as the import routes see them: refused early with a clear 422 whatever their
// shape, parsed off the request thread, and stopped when the client leaves.
import { strToU8 } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { QueryCancelledError } from '../../../server/db/adapter.ts';
import { MAX_IMPORT_FEATURES } from '../../../server/transfer/formats/format.ts';
import { formatById } from '../../../server/transfer/formats/index.ts';
import { UPLOAD_READER_DEFAULTS, uploadReader } from '../../../server/transfer/read-upload.ts';
import { heapHogGeoJson, placemarksKmz, pointsCsv, pointsGeoJson, pointsShapefile, zipBomb } from '../../../scripts/reliability/hostile-uploads.ts';
import { userClient, type Client } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

type Refusal = { error: string; code?: string; detail: string; message?: { vi: string; en: string } };

/** XML that takes seconds to parse into a DOM, then is refused: it is no KML. */
const slowXml = () => strToU8(`<?xml version="1.0"?><gpx>${'<wpt lat="21.6" lon="106.5"><name>Điểm</name></wpt>'.repeat(100_000)}</gpx>`);

describeEachBackend('upload parsing', ({ db }) => {
  let server: TestServer;
  let editor: Client;
  beforeAll(async () => {
    server = await startTestServer(db());
    editor = await userClient(db(), server, 'editor');
  });
  afterAll(() => server.close());
  afterEach(() => vi.restoreAllMocks());

  const upload = (mode: 'preview' | 'commit', filename: string, body: Uint8Array | string, signal?: AbortSignal) =>
    server.request(`/api/import/industrial_clusters/${mode}?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { Cookie: editor.cookie!, 'X-CSRF-Token': editor.csrf!, 'Content-Type': 'application/octet-stream' },
      body: typeof body === 'string' ? body : Buffer.from(body),
      signal,
    });
  const writes = async () => (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM feature_history'))[0]!.n;
  /** Resolves once the server's reader starts its next parse, with that parse's outcome (value or error). */
  const nextParse = () =>
    new Promise<{ outcome: Promise<unknown> }>((resolve) => {
      const read = uploadReader.read.bind(uploadReader);
      vi.spyOn(uploadReader, 'read').mockImplementationOnce((...args) => {
        const parse = read(...args);
        resolve({ outcome: parse.catch((error: unknown) => error) });
        return parse;
      });
    });

  it.each([
    ['a zip bomb KMZ (1 MB inflating to 1 GB)', 'bomb.kmz', () => zipBomb('doc.kml', 1024 * 1024 * 1024), 'too_large_uncompressed'],
    ['a 60 KB KMZ of 200,000 placemarks', 'many.kmz', () => placemarksKmz(200_000), 'too_many_features'],
    [`GeoJSON of ${MAX_IMPORT_FEATURES + 1} features`, 'many.geojson', () => pointsGeoJson(MAX_IMPORT_FEATURES + 1), 'too_many_features'],
    [`CSV of ${MAX_IMPORT_FEATURES + 1} rows`, 'many.csv', () => pointsCsv(MAX_IMPORT_FEATURES + 1), 'too_many_features'],
    [`a shapefile of ${MAX_IMPORT_FEATURES + 1} records`, 'many.zip', () => pointsShapefile(MAX_IMPORT_FEATURES + 1), 'too_many_features'],
  ])('refuses %s with 422 and writes nothing', async (_what, filename, body, code) => {
    const before = await writes();
    for (const mode of ['preview', 'commit'] as const) {
      const res = await upload(mode, filename, await body());
      expect(res.status).toBe(422);
      const refusal = (await res.json()) as Refusal;
      expect(refusal).toMatchObject({ error: 'import_failed', code });
      expect(refusal.message!.vi).toMatch(/[^\x00-\x7F]/);
      expect(refusal.message!.en.length).toBeGreaterThan(10);
    }
    expect(await writes()).toBe(before);
  });

  it('answers other requests while a large file is being parsed', async () => {
    await upload('preview', 'warm.geojson', pointsGeoJson(1)); // a warm worker: the parse starts at once
    const parsing = nextParse();
    const res = upload('preview', 'route.kml', slowXml());
    const { outcome } = await parsing;
    const health = await server.get('/api/health');
    expect(health.status).toBe(200);
    const settled = await Promise.race([outcome.then(() => 'parsed'), new Promise((r) => setImmediate(() => r('still parsing')))]);
    expect(settled).toBe('still parsing');
    // And the file is refused for what it is once read.
    expect(await res.then((r) => r.json())).toMatchObject({ error: 'import_failed', code: 'not_kml' });
  });

  it('stops parsing when the client leaves', async () => {
    const parsing = nextParse();
    const client = new AbortController();
    const res = upload('preview', 'route.kml', slowXml(), client.signal).catch((error: unknown) => error);
    const { outcome } = await parsing;
    client.abort();
    expect(await res).toMatchObject({ name: 'AbortError' });
    expect(await outcome).toBeInstanceOf(QueryCancelledError);
  });

  it('answers 503 with Retry-After and a vi/en message when too many files wait to be parsed', async () => {
    // Fill the line with parses of our own that would take seconds.
    const { workers, maxQueued } = UPLOAD_READER_DEFAULTS;
    const stop = new AbortController();
    const hog = strToU8(heapHogGeoJson(4_000_000));
    const filling = Array.from({ length: workers + maxQueued }, () => uploadReader.read(formatById('geojson')!, hog, stop.signal).catch(() => {}));
    try {
      const res = await upload('preview', 'late.geojson', pointsGeoJson(1));
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await res.json()) as Refusal;
      expect(body).toMatchObject({ error: 'import_busy' });
      expect(body.message!.vi).toMatch(/thử lại/);
      expect(body.message!.en).toMatch(/try again/);
    } finally {
      stop.abort();
      await Promise.all(filling);
    }
    expect((await upload('preview', 'after.geojson', pointsGeoJson(1))).status).toBe(200);
  });
});
