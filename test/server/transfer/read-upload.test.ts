import { Worker } from 'node:worker_threads';
import { strToU8, zipSync } from 'fflate';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { QueryCancelledError } from '../../../server/db/adapter.ts';
import { RetryLaterError } from '../../../server/http/errors.ts';
import { ImportFileError, type FileFormat } from '../../../server/transfer/formats/format.ts';
import { formatById } from '../../../server/transfer/formats/index.ts';
import { UploadReader } from '../../../server/transfer/read-upload.ts';
import { uploadedFeature } from '../../../server/transfer/uploaded-feature.ts';
import { heapHogGeoJson, placemarksKml, placemarksKmz, pointsCsv, pointsGeoJson, pointsShapefile, zipBomb } from '../../../scripts/reliability/hostile-uploads.ts';

const MB = 1024 * 1024;
const format = (id: string) => formatById(id) as Required<FileFormat>;
const failure = (promise: Promise<unknown>) => promise.then(() => new Error('expected a refusal'), (e: unknown) => e);

/** Growth of the test thread's own memory (heap and buffers) and of the whole process (rss, workers included). */
function memoryGrowth() {
  const before = process.memoryUsage();
  let peakRss = before.rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  return () => {
    clearInterval(sampler);
    const after = process.memoryUsage();
    return { thread: after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers, peakRss: Math.max(peakRss, after.rss) - before.rss };
  };
}

describe('reading uploads in a worker thread', () => {
  const reader = new UploadReader();
  afterAll(() => reader.close());
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['geojson', () => strToU8(pointsGeoJson(50))],
    ['kml', () => strToU8(placemarksKml(50))],
    ['kmz', () => zipSync({ 'doc.kml': strToU8(placemarksKml(50)) })],
    ['shapefile', () => pointsShapefile(50)],
    ['csv', () => strToU8(pointsCsv(50))],
  ])('gives what the %s format reads on the calling thread', async (id, file) => {
    const bytes = await file();
    const result = await reader.read(format(id), bytes);
    expect(result.features).toHaveLength(50);
    const onThread = await format(id).read(bytes);
    expect(result).toEqual({ ...onThread, features: onThread.features.map(uploadedFeature) });
    // Geometries cross as text (this CSV has lon/lat columns: points as GeoJSON).
    expect(result.features[0]!.geometry).toEqual({ geojson: expect.any(String) });
  });

  it('moves the bytes to the worker when handed over, and copies a slice of shared memory', async () => {
    const whole = strToU8(pointsGeoJson(20));
    expect((await reader.read(format('geojson'), whole, undefined, { handOver: true })).features).toHaveLength(20);
    expect(whole.byteLength).toBe(0); // moved, not copied
    const text = strToU8(pointsGeoJson(20));
    const shared = new Uint8Array(text.length + 8);
    shared.set(text, 8);
    const slice = shared.subarray(8);
    expect((await reader.read(format('geojson'), slice, undefined, { handOver: true })).features).toHaveLength(20);
    expect(slice.byteLength).toBe(text.length); // the memory around it is someone else's: copied
  });

  it("throws the format's own refusal, code and text", async () => {
    const error = await failure(reader.read(format('geojson'), strToU8('{"type": "FeatureCollection", "features": [')));
    expect(error).toBeInstanceOf(ImportFileError);
    const onThread = await failure(Promise.resolve().then(() => format('geojson').read(strToU8('{"type": "FeatureCollection", "features": ['))));
    expect(error).toMatchObject({ code: 'bad_json', text: (onThread as ImportFileError).text });
  });

  it('refuses a zip bomb KMZ (1 MB inflating to 1 GB) without the memory it would take', async () => {
    const bomb = zipBomb('doc.kml', 1024 * MB);
    const growth = memoryGrowth();
    const error = await failure(reader.read(format('kmz'), bomb));
    const { thread, peakRss } = growth();
    expect(error).toMatchObject({ code: 'too_large_uncompressed' });
    expect((error as ImportFileError).text.vi).toMatch(/giải nén/);
    // This thread never holds the inflated bytes; the whole process (with the worker and
    // its budget of inflated bytes) stays far below the gigabyte.
    expect(thread).toBeLessThan(50 * MB);
    expect(peakRss).toBeLessThan(450 * MB);
  });

  it('refuses a small KMZ of 200,000 placemarks, memory bounded', async () => {
    const growth = memoryGrowth();
    const error = await failure(reader.read(format('kmz'), placemarksKmz(200_000)));
    const { thread, peakRss } = growth();
    expect(error).toMatchObject({ code: 'too_many_features' });
    expect(thread).toBeLessThan(50 * MB);
    expect(peakRss).toBeLessThan(200 * MB);
  });

  it('stops the parse as soon as the signal aborts, terminating its worker', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const controller = new AbortController();
    // Parses for seconds before it would succeed (a large heap) or fail.
    const parse = failure(reader.read(format('geojson'), strToU8(heapHogGeoJson(4_000_000)), controller.signal));
    setTimeout(() => controller.abort(), 50);
    expect(await parse).toBeInstanceOf(QueryCancelledError);
    expect(terminate).toHaveBeenCalledTimes(1);
    // The slot was given back: the next parse runs.
    expect((await reader.read(format('geojson'), strToU8(pointsGeoJson(3)))).features).toHaveLength(3);
  });

  it('does not start a parse whose signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await failure(reader.read(format('geojson'), strToU8(pointsGeoJson(3)), controller.signal))).toBeInstanceOf(QueryCancelledError);
  });
});

// A worker dies of its heap limit only after V8 has collected garbage again and again: seconds.
describe('a worker out of memory', { timeout: 60_000 }, () => {
  // A heap small enough for a 12 MB file to exhaust it.
  const reader = new UploadReader({ maxOldGenerationSizeMb: 16 });
  afterAll(() => reader.close());

  it('is a too_complex refusal, and the next parse works', async () => {
    const error = await failure(reader.read(format('geojson'), strToU8(heapHogGeoJson(2_000_000))));
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ code: 'too_complex' });
    expect((error as ImportFileError).text.vi).toMatch(/quá phức tạp/);
    expect((await reader.read(format('geojson'), strToU8(pointsGeoJson(3)))).features).toHaveLength(3);
  });

  it('is too_complex for nesting too deep to copy out of the worker too', async () => {
    const depth = 200_000;
    const deep = `{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    expect(await failure(reader.read(format('geojson'), strToU8(deep)))).toMatchObject({ code: 'too_complex' });
  });
});

describe('a parse that runs too long', () => {
  const reader = new UploadReader({ timeoutMs: 200 });
  afterAll(() => reader.close());

  it('is stopped and refused as too_complex, and the next parse works', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const error = await failure(reader.read(format('kml'), strToU8(placemarksKml(10_000))));
    expect(error).toMatchObject({ code: 'too_complex' });
    expect((error as ImportFileError).text.en).toMatch(/longer than allowed/);
    expect(terminate).toHaveBeenCalled();
    terminate.mockRestore();
    // (Another reader: with this one's bound, even starting a worker may take too long.)
    const patient = new UploadReader();
    expect((await patient.read(format('geojson'), strToU8(pointsGeoJson(3)))).features).toHaveLength(3);
    await patient.close();
  });
});

describe('the line of parses', () => {
  const reader = new UploadReader({ workers: 1, maxQueued: 1 });
  afterAll(() => reader.close());

  it('is bounded: past it, 503 with Retry-After; a waiting parse whose requester leaves gives up its place', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const hog = strToU8(heapHogGeoJson(4_000_000));
    const running = failure(reader.read(format('geojson'), hog, first.signal));
    const waiting = failure(reader.read(format('geojson'), hog, second.signal));
    const refused = await failure(reader.read(format('geojson'), strToU8(pointsGeoJson(3))));
    expect(refused).toBeInstanceOf(RetryLaterError);
    expect(refused).toMatchObject({ status: 503, code: 'import_busy', extra: { message: { vi: expect.stringMatching(/thử lại/), en: expect.stringMatching(/try again/) } } });
    expect((refused as RetryLaterError).retryAfterSeconds).toBeGreaterThan(0);
    second.abort();
    expect(await waiting).toBeInstanceOf(QueryCancelledError);
    // Its place is free again: one more may wait.
    const third = reader.read(format('geojson'), strToU8(pointsGeoJson(3)));
    first.abort();
    expect(await running).toBeInstanceOf(QueryCancelledError);
    expect((await third).features).toHaveLength(3);
  });
});
