// Several servers behind a load balancer on one PostgreSQL database: two real server
// processes on different ports share sessions, CSRF tokens, sign-in throttling, edits
// and cache validators, because everything they keep in memory is keyed on what the
// database announces. (The embedded database is one process by design.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/users.ts';
import { MAX_FAILURES_PER_USER } from '../../server/auth/login.ts';
import type { Database } from '../../server/db/adapter.ts';
import { openPostgres } from '../../server/db/postgres.ts';
import { INSERT_VIEW_SQL } from '../../server/views/queries.ts';
import { startServerProcess, type RunningServer } from '../../scripts/lib/server-process.ts';
import { clientFor, PASSWORD, publicClient, signIn, type Client } from '../support/auth.ts';
import { backendNames, createPostgresDatabase, type PostgresDatabase } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { loadTestParcels } from '../support/parcels.ts';
import type { TestServer } from '../support/http.ts';

const asTestServer = (server: RunningServer): TestServer => ({
  url: server.origin,
  get: (path, headers = {}) => fetch(`${server.origin}${path}`, { headers }),
  request: (path, init = {}) => fetch(`${server.origin}${path}`, init),
  close: () => server.stop(),
});

const ZONE = 'vsip-lang-son';
const LAYER = '/api/layers/industrial_parks';
const PARCELS = 300;

describe.skipIf(!backendNames().includes('postgres'))('two server instances on one PostgreSQL database', () => {
  let database: PostgresDatabase;
  let db: Database;
  let a: TestServer;
  let b: TestServer;
  let editorOnA: Client;

  beforeAll(async () => {
    database = await createPostgresDatabase('seeded');
    db = await openPostgres({ url: database.url, poolMax: 2 });
    await createUser(db, { username: 'shared-editor', password: PASSWORD, role: 'editor' });
    await loadTestParcels(db, { count: PARCELS });
    // Parcels are streamed (more than the limit), the other layers prepared and cached.
    const env = { PORT: '0', DATABASE_URL: database.url, LAYER_STREAM_ABOVE_FEATURES: String(PARCELS - 1) };
    [a, b] = (await Promise.all([startServerProcess(env), startServerProcess(env)])).map(asTestServer) as [TestServer, TestServer];
    expect(a.url).not.toBe(b.url);
    const res = await signIn(a, 'shared-editor');
    expect(res.status).toBe(200);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    editorOnA = clientFor(a, { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: csrfToken, role: 'editor' });
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await db?.close();
    await database?.drop();
  });

  /** The same signed-in browser, its request sent to the other instance. */
  const on = (server: TestServer, client: Client) => clientFor(server, client);

  it('a session made on one instance is recognised, with its CSRF token, on the other', async () => {
    const session = (await (await on(b, editorOnA).send('GET', '/api/auth/session')).json()) as { user: { username: string }; csrfToken: string };
    expect(session.user.username).toBe('shared-editor');
    expect(session.csrfToken).toBe(editorOnA.csrf);
    // A write on B with A's token passes CSRF; without it, B refuses.
    expect((await on(b, { ...editorOnA, csrf: null }).send('PATCH', `/api/features/industrial_parks/${ZONE}`, { properties: {} }, { 'If-Match': '"1"' })).status).toBe(403);
  });

  for (const [writer, reader] of [['a', 'b'], ['b', 'a']] as const) {
    it(`an edit sent to ${writer} is served by ${reader}: new GeoJSON, new ETag; the old ETag revalidates to 200 there`, async () => {
      const servers = { a: () => a, b: () => b };
      const read = (server: TestServer, headers: Record<string, string> = {}) => publicClient(server).send('GET', LAYER, undefined, headers);
      const before = await read(servers[reader]());
      expect(before.status).toBe(200);
      const etag = before.headers.get('etag')!;
      // Validators are the same everywhere: a cache filled by one instance revalidates on the other.
      expect((await read(servers[writer](), { 'If-None-Match': etag })).status).toBe(304);
      expect((await read(servers[reader](), { 'If-None-Match': etag })).status).toBe(304);

      const feature = (await (await on(servers[writer](), editorOnA).send('GET', `/api/features/industrial_parks/${ZONE}`)).json()) as {
        properties: { version: number };
      };
      const developer = `Developer set through ${writer}`;
      const res = await on(servers[writer](), editorOnA).send(
        'PATCH',
        `/api/features/industrial_parks/${ZONE}`,
        { properties: { developer } },
        { 'If-Match': `"${feature.properties.version}"` },
      );
      expect(res.status).toBe(200);

      // The reader learns of the change by NOTIFY, asynchronously: within moments.
      const after = await eventually(async () => {
        const response = await read(servers[reader](), { 'If-None-Match': etag });
        expect(response.status).toBe(200);
        return response;
      });
      const newEtag = after.headers.get('etag')!;
      expect(newEtag).not.toBe(etag);
      const body = (await after.json()) as { features: { id: string; properties: { developer: string } }[] };
      expect(body.features.find((f) => f.id === ZONE)!.properties.developer).toBe(developer);
      expect((await read(servers[writer](), { 'If-None-Match': newEtag })).status).toBe(304);
    });
  }

  it('a streamed layer has one ETag on both instances (from the revision): it revalidates on either, and changes with the data', async () => {
    const [fromA, fromB] = await Promise.all([a, b].map((s) => s.get('/api/layers/parcels')));
    const etag = fromA!.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"r\d+-/);
    expect(fromB!.headers.get('etag')).toBe(etag);
    expect(((await fromA!.json()) as { features: unknown[] }).features).toHaveLength(PARCELS);
    expect(await fromB!.text()).not.toBe('');
    for (const server of [a, b]) expect((await server.get('/api/layers/parcels', { 'If-None-Match': etag })).status).toBe(304);
    await db.query("UPDATE parcels SET land_use = 'SKK' WHERE id = (SELECT min(id) FROM parcels)");
    const etags = [];
    for (const server of [a, b]) {
      etags.push(
        await eventually(async () => {
          const res = await server.get('/api/layers/parcels', { 'If-None-Match': etag });
          expect(res.status).toBe(200);
          await res.arrayBuffer();
          return res.headers.get('etag');
        }),
      );
    }
    expect(etags[0]).not.toBe(etag);
    expect(etags[1]).toBe(etags[0]);
  });

  it('a change made in the database by neither instance reaches both (saved views)', async () => {
    const etags = await Promise.all([a, b].map(async (s) => (await s.get('/api/views')).headers.get('etag')!));
    expect(etags[0]).toBe(etags[1]);
    await db.query(INSERT_VIEW_SQL, ['shared-view', 99, 'Xem chung', 'Shared view', null, null, 'z=10', 'test']);
    for (const server of [a, b]) {
      await eventually(async () => {
        const res = await server.get('/api/views', { 'If-None-Match': etags[0]! });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { views: { id: string }[] }).views.map((v) => v.id)).toContain('shared-view');
      });
    }
  });

  it('failed sign-ins are counted across instances, and signing out on one ends the session on both', async () => {
    for (let i = 0; i < MAX_FAILURES_PER_USER; i++) {
      expect((await signIn(i % 2 ? a : b, 'shared-editor', 'not the password')).status).toBe(401);
    }
    expect((await signIn(a, 'shared-editor')).status).toBe(429);
    expect((await signIn(b, 'shared-editor')).status).toBe(429);

    expect((await on(b, editorOnA).send('POST', '/api/auth/logout')).status).toBeLessThan(300);
    const session = (await (await editorOnA.send('GET', '/api/auth/session')).json()) as { user: unknown };
    expect(session.user).toBeNull();
  });
});
