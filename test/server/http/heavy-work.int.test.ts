// Heavy work on the real app: a burst of whole-layer analyses is answered 503 past the
// line and 429 past the caller's rate, while health and a cached layer keep answering.
// The analyses are held in the database (a lock on their table; PGlite: its one session)
// so that the burst meets work in progress, whatever the speed of the machine. Exports
// and imports are rated too; health, layers and tiles never are.
import { afterEach, expect, it } from 'vitest';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { userClient } from '../../support/auth.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

const WITHIN = '/api/analysis/within?from=expressways&radius_km=10';
type Stats = { running: number; waiting: number; busy: number; limited: number };

describeEachBackend('heavy work limits', ({ db }) => {
  let server: TestServer;
  const serve = async (perMinute: number) => {
    server = await startTestServer(db(), { heavyWork: { analysis: { concurrency: 1, queue: 1, perMinute } } });
  };
  afterEach(() => server.close());

  const analyses = async () => ((await (await server.get('/api/health')).json()) as { heavyWork: { analysis: Stats } }).heavyWork.analysis;

  /** Holds the expressways' table until the returned function is called. */
  async function holdExpressways(): Promise<() => Promise<void>> {
    let release!: () => void;
    let held!: () => void;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    const done = db().transaction(async (tx) => {
      await tx.query('LOCK TABLE projects IN ACCESS EXCLUSIVE MODE');
      held();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await isHeld;
    return async () => {
      release();
      await done;
    };
  }

  it('answers a burst beyond the line with 503 + Retry-After and beyond the rate with 429, while health and a cached layer answer 200', async () => {
    await serve(4);
    // One analysis before the burst (a turn of the caller's 4): sizes and the buffer are
    // then known, so the held requests wait in their query, holding their slot.
    expect((await server.get(WITHIN)).status).toBe(200);
    expect((await server.get('/api/layers/industrial_parks')).status).toBe(200);
    const release = await holdExpressways();
    let burst: Promise<Response>[] = [];
    try {
      burst = Array.from({ length: 8 }, () => server.get(WITHIN));
      // One runs (held), one waits, six are refused while those two are held.
      await eventually(async () => expect(await analyses()).toMatchObject({ running: 1, waiting: 1, busy: 6 }), { timeoutMs: 20_000 });
      // Everything else is served meanwhile.
      expect((await server.get('/api/health')).status).toBe(200);
      const cached = await server.get('/api/layers/industrial_parks');
      expect(cached.status).toBe(200);
      expect(((await cached.json()) as { features: unknown[] }).features.length).toBeGreaterThan(0);
    } finally {
      await release();
    }
    const answers = await Promise.all(burst);
    expect(answers.filter((r) => r.status === 200).length).toBe(2);
    const refused = answers.filter((r) => r.status !== 200);
    expect(refused.length).toBe(6);
    for (const res of refused) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ error: 'busy', detail: expect.stringMatching(/busy with other analyses \(1 in progress, 1 waiting\)/) });
    }
    // Three turns taken (the 503s took none): one more, then 429 until the bucket refills.
    expect((await server.get(WITHIN)).status).toBe(200);
    const limited = await server.get(WITHIN);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: 'too_many_requests', detail: expect.stringMatching(/at most 4 a minute/) });
    // Light analyses are not heavy work: a point, one gate.
    expect((await server.get('/api/analysis/within?from=106.76,21.85&radius_km=10')).status).toBe(200);
    expect((await server.get('/api/analysis/within?from=border_gates/cua-khau-huu-nghi&radius_km=10')).status).toBe(200);
    expect(await analyses()).toMatchObject({ running: 0, waiting: 0, busy: 6, limited: 1 });
  });

  it('frees the place of a waiting analysis whose client leaves, and the slot of a running one', async () => {
    await serve(100);
    expect((await server.get(WITHIN)).status).toBe(200);
    const release = await holdExpressways();
    const running = new AbortController();
    const waiting = new AbortController();
    try {
      const first = server.request(WITHIN, { signal: running.signal }).catch(() => null);
      await eventually(async () => expect(await analyses()).toMatchObject({ running: 1, waiting: 0 }), { timeoutMs: 20_000 });
      const second = server.request(WITHIN, { signal: waiting.signal }).catch(() => null);
      await eventually(async () => expect(await analyses()).toMatchObject({ running: 1, waiting: 1 }));
      waiting.abort();
      await second;
      await eventually(async () => expect(await analyses()).toMatchObject({ running: 1, waiting: 0 }));
      // The running one's query is cancelled (PostgreSQL) or leaves the session's line
      // (PGlite) while the table is still held: its slot is free before the work could end.
      running.abort();
      await first;
      await eventually(async () => expect(await analyses()).toMatchObject({ running: 0, waiting: 0 }));
      const next = server.get(WITHIN);
      await eventually(async () => expect(await analyses()).toMatchObject({ running: 1, waiting: 0 }));
      await release();
      expect((await next).status).toBe(200);
    } finally {
      await release();
    }
  });

  it('rates exports per caller and imports per editor, and never health, layers or tiles', async () => {
    server = await startTestServer(db(), { heavyWork: { export: { perMinute: 1 }, import: { perMinute: 1 } } });
    expect((await server.get('/api/export/industrial_parks?format=geojson')).status).toBe(200);
    const exportLimited = await server.get('/api/export/industrial_parks?format=csv');
    expect(exportLimited.status).toBe(429);
    expect(await exportLimited.json()).toMatchObject({ error: 'too_many_requests', detail: expect.stringMatching(/Too many exports/) });
    const editor = await userClient(db(), server, 'editor', 'heavy-importer');
    const preview = () =>
      editor.send('POST', '/api/import/industrial_clusters/preview?filename=c.geojson', { type: 'FeatureCollection', features: [] });
    expect((await preview()).status).not.toBe(429);
    const importLimited = await preview();
    expect(importLimited.status).toBe(429);
    expect(await importLimited.json()).toMatchObject({ error: 'too_many_requests', detail: expect.stringMatching(/Too many imports/) });
    // Another caller's export, and everything that is not heavy work, still answers.
    expect((await editor.send('GET', '/api/export/industrial_parks?format=geojson')).status).toBe(200);
    for (const path of ['/api/health', '/api/layers/industrial_parks', '/tiles/industrial_parks/12/3258/1797.mvt', '/api/analysis/proximity?layer=industrial_parks&id=vsip-lang-son']) {
      expect((await server.get(path)).status, path).toBe(200);
    }
  });
});
