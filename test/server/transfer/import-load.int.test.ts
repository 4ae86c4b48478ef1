// Imports at a real user's volume, on both backends: while a large file is checked, the
// rest of the server keeps answering; and an import whose client leaves stops — between
// statements of its checks, or inside its write transaction, which is rolled back.
import * as turf from '@turf/turf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database, Queryable } from '../../../server/db/adapter.ts';
import { userClient, type Client } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

/** `count` clusters of `vertices`-gon outlines on a grid near Lạng Sơn city, all inside the province. */
function outlines(count: number, vertices: number, label: string): string {
  const features = Array.from({ length: count }, (_, i) => ({
    type: 'Feature',
    properties: {
      name_vi: `${label} ${i}`,
      name_en: `${label} ${i}`,
      status: 'planned',
      sources: ['SEED-001'],
      source_date: '2025-12-01',
      accuracy: 'indicative',
      area_ha: 12,
    },
    geometry: turf.circle([106.55 + (i % 50) * 0.004, 21.62 + Math.floor(i / 50) * 0.002], 0.15, { steps: vertices, units: 'kilometers' }).geometry,
  }));
  return JSON.stringify({ type: 'FeatureCollection', features });
}

/** The same database, recording every statement sent to it (through transactions too). */
function recording(db: Database, log: string[]): Database {
  const recorded = (q: Queryable): Queryable => ({
    query: (sql, params, options) => {
      log.push(sql);
      return q.query(sql, params, options);
    },
    exec: (sql) => {
      log.push(sql);
      return q.exec(sql);
    },
  });
  return {
    backend: db.backend,
    ...recorded(db),
    transaction: (fn, options) => db.transaction((tx) => fn(recorded(tx)), options),
    health: () => db.health(),
    listen: (channel, listener) => db.listen(channel, listener),
    close: () => db.close(),
  };
}

describeEachBackend('imports under volume', ({ db }) => {
  const log: string[] = [];
  let server: TestServer;
  let editor: Client;
  beforeAll(async () => {
    server = await startTestServer(recording(db(), log));
    editor = await userClient(db(), server, 'editor');
  });
  afterAll(() => server.close());

  const upload = (mode: 'preview' | 'commit', body: string, signal?: AbortSignal) =>
    server.request(`/api/import/industrial_clusters/${mode}?filename=large.geojson`, {
      method: 'POST',
      headers: { Cookie: editor.cookie!, 'X-CSRF-Token': editor.csrf!, 'Content-Type': 'application/geo+json' },
      body,
      signal,
    });
  const count = async (sql: string) => (await db().query<{ n: number }>(sql))[0]!.n;
  const writesOf = (label: string) => count(`SELECT count(*)::int AS n FROM zones WHERE name_vi LIKE '${label} %'`);
  /** Resolves once no statement has been sent for `quietMs`. */
  const settled = async (quietMs = 1_500) => {
    for (let seen = -1; seen !== log.length; ) {
      seen = log.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  };

  it('keeps answering health and cached layers while a large file is checked', async () => {
    await server.get('/api/layers/industrial_parks'); // cached before the import starts
    const latencies: Record<string, number[]> = { '/api/health': [], '/api/layers/industrial_parks': [] };
    let importing = true;
    const pollers = Object.keys(latencies).map(async (route) => {
      while (importing) {
        const started = performance.now();
        const res = await server.get(route);
        await res.arrayBuffer();
        expect(res.status, route).toBe(200);
        latencies[route]!.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    const res = await upload('preview', outlines(3_000, 64, 'Cụm tải'));
    importing = false;
    await Promise.all(pollers);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { counts: unknown }).counts).toEqual({ create: 3_000, update: 0, unchanged: 0, invalid: 0 });
    for (const [route, list] of Object.entries(latencies)) {
      const sorted = [...list].sort((a, b) => a - b);
      expect(sorted.length, route).toBeGreaterThan(3);
      expect(sorted[Math.floor(sorted.length * 0.95)]!, route).toBeLessThan(500);
    }
  });

  it.each([
    ['while its geometries are checked', /ST_IsValid/],
    ['inside its write transaction', /^SAVEPOINT import_all$/],
  ])('stops an import whose client leaves %s, writing nothing', async (_when, marker) => {
    const label = `Cụm bỏ dở ${marker.source.length}`;
    const historyBefore = await count('SELECT count(*)::int AS n FROM feature_history');
    await settled(200);
    const from = log.length;
    const gone = new AbortController();
    const request = upload('commit', outlines(5_000, 48, label), gone.signal).catch((error: Error) => error);
    while (!log.slice(from).some((sql) => marker.test(sql.trim()))) await new Promise((r) => setTimeout(r, 5));
    const atAbort = log.length;
    gone.abort();
    expect(await request).toBeInstanceOf(Error);
    await settled();
    // Of the many statements the import would still send, at most two are tried:
    // one the server may start before it has read the disconnect, and the next, refused.
    // (The rollback is not counted; a statement already running may finish on PGlite.)
    const after = log.slice(atAbort).filter((sql) => !/^(ROLLBACK|SELECT table_name, revision)/.test(sql.trim()));
    expect(after.length, after.map((s) => s.slice(0, 60)).join('\n')).toBeLessThanOrEqual(2);
    expect(await writesOf(label)).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM feature_history')).toBe(historyBefore);
    // The same file, committed by a client who waits, is written whole.
    const res = await upload('commit', outlines(600, 48, label));
    expect(res.status).toBe(200);
    expect(await writesOf(label)).toBe(600);
  });
});
