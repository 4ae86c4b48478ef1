// Every role against every endpoint: who may read what (internal fields absent, not
// null, for the public) and who may change what.
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicClient, userClient, type Client } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

const SECRET = 'secret auction plan 1119';
const HIDDEN = 'difficulty under negotiation';
const ZONE = 'vsip-lang-son';
const roles = ['public', 'viewer', 'editor', 'admin'] as const;
type Role = (typeof roles)[number];

const reads = [
  '/api/layers',
  '/api/layers/industrial_parks',
  '/api/layers/industrial_parks?as_of=2999-01-01',
  `/api/features/industrial_parks/${ZONE}`,
  `/api/features/industrial_parks/${ZONE}/history`,
  '/api/search?q=vsip',
  `/api/analysis/proximity?layer=industrial_parks&id=${ZONE}`,
  '/api/analysis/within?from=border_gates/cua-khau-huu-nghi&radius_km=100',
  '/api/analysis/point?lon=106.35&lat=21.48',
  '/api/export/industrial_parks?format=geojson',
  '/api/export/industrial_parks?format=csv',
  '/api/export/industrial_parks?format=kml',
  '/api/sources',
  '/api/views',
  '/api/auth/session',
  '/api/reports/inventory',
  '/api/reports/inventory.csv',
  '/ogc/collections/industrial_parks/items?f=json',
  `/ogc/collections/industrial_parks/items/${ZONE}?f=json`,
  '/tiles/industrial_parks/12/3258/1797.mvt',
];
// Reads whose body carries a zone's fields: staff see the internal ones there (tiles
// are for drawing and carry public fields only, whoever asks).
const carriesFields = (path: string) => /layers\/industrial_parks|features\/|export\/|reports\/inventory$|ogc\/collections/.test(path);

describeEachBackend('role matrix', ({ db }) => {
  let server: TestServer;
  const clients = {} as Record<Role, Client>;
  beforeAll(async () => {
    server = await startTestServer(db());
    clients.public = publicClient(server);
    for (const role of ['viewer', 'editor', 'admin'] as const) clients[role] = await userClient(db(), server, role);
    // Through the API, so the history holds the internal values too.
    const zone = (await (await clients.editor.send('GET', `/api/features/industrial_parks/${ZONE}`)).json()) as { properties: { version: number } };
    const res = await clients.editor.send(
      'PATCH',
      `/api/features/industrial_parks/${ZONE}`,
      { properties: { internal_notes: SECRET, difficulties: HIDDEN, internal_fields: ['difficulties'] } },
      { 'If-Match': `"${zone.properties.version}"` },
    );
    expect(res.status).toBe(200);
  });
  afterAll(() => server.close());

  describe.each(roles)('%s reads', (role) => {
    it.each(reads)(`GET %s`, async (path) => {
      const res = await clients[role].send('GET', path);
      expect(res.status).toBe(200);
      const text = await res.text();
      if (role === 'public') {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(HIDDEN);
        expect(text).not.toContain('internal_notes');
        expect(text).not.toContain('internal_fields');
        expect(res.headers.get('cache-control') ?? '').not.toContain('private');
      } else if (carriesFields(path)) {
        expect(text).toContain(SECRET);
        expect(text).toContain(HIDDEN);
        expect(res.headers.get('cache-control')).toContain('private');
        expect(res.headers.get('vary')).toMatch(/Cookie/);
      }
      if (carriesFields(path)) expect(res.headers.get('vary')).toMatch(/Cookie/);
    });
  });

  it('serves the public no internal keys at all (absent, not null), layer by layer', async () => {
    const res = await clients.public.send('GET', '/api/layers');
    const { layers } = (await res.json()) as { layers: { id: string; group: string; fields: { name: string }[] }[] };
    for (const layer of layers.filter((l) => l.group === 'thematic')) {
      expect(layer.fields.map((f) => f.name)).not.toContain('internal_notes');
      const fc = (await (await clients.public.send('GET', `/api/layers/${layer.id}`)).json()) as { features: { properties: object }[] };
      for (const f of fc.features) expect(Object.keys(f.properties)).not.toContain('internal_notes');
    }
    const zone = (await (await clients.public.send('GET', `/api/features/industrial_parks/${ZONE}`)).json()) as { properties: object };
    expect(Object.keys(zone.properties)).not.toContain('difficulties');
    const staff = (await (await clients.viewer.send('GET', `/api/features/industrial_parks/${ZONE}`)).json()) as { properties: Record<string, unknown> };
    expect(staff.properties).toMatchObject({ internal_notes: SECRET, difficulties: HIDDEN });
  });

  // Zipped formats: their text is compressed, so each file inside is read unzipped.
  it.each([
    '/api/export/industrial_parks?format=shapefile',
    '/api/export/industrial_parks?format=kmz',
    '/api/reports/inventory.xlsx',
  ])('serves the public no internal value inside the zipped %s', async (path) => {
    const res = await clients.public.send('GET', path);
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).length).toBeGreaterThan(0);
    for (const [name, bytes] of Object.entries(files)) {
      const text = new TextDecoder('latin1').decode(bytes) + new TextDecoder().decode(bytes);
      expect(text, name).not.toContain(SECRET);
      expect(text, name).not.toContain(HIDDEN);
    }
  });

  // Pages and documents in HTML, and requests that name internal fields outright.
  it.each([
    '/api/reports/inventory.html',
    '/ogc/collections/industrial_parks/items?f=html',
    `/ogc/collections/industrial_parks/items/${ZONE}?f=html`,
    '/api/layers/industrial_parks?fields=name_vi,internal_notes',
    '/api/layers/industrial_parks?fields=difficulties',
    `/ogc/collections/industrial_parks/items?f=json&internal_notes=${encodeURIComponent(SECRET)}`,
    `/api/features/industrial_parks/${ZONE}?fields=internal_notes`,
  ])('leaks nothing internal to the public through %s', async (path) => {
    const res = await clients.public.send('GET', path);
    expect(res.status).toBeLessThan(500);
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(HIDDEN);
  });

  it('finds nothing for the public by searching an internal text', async () => {
    for (const q of [SECRET, HIDDEN, 'auction']) {
      const res = await clients.public.send('GET', `/api/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { hits: unknown[] }).hits).toEqual([]);
    }
  });

  // Each write, made fresh for each caller; the status each role gets.
  const cluster = (name: string) => ({
    properties: { name_vi: name, name_en: name, status: 'planned', sources: ['SEED-001'], source_date: '2025-12-01', accuracy: 'surveyed' },
    geometry: { type: 'Polygon', coordinates: [[[106.5, 21.6], [106.51, 21.6], [106.51, 21.61], [106.5, 21.6]]] },
  });
  const version = async (id: string) => ((await (await clients.admin.send('GET', `/api/features/industrial_clusters/${id}`)).json()) as { properties: { version: number } }).properties.version;
  const made = async (name: string) => {
    const res = await clients.admin.send('POST', '/api/features/industrial_clusters', cluster(name));
    return ((await res.json()) as { feature: { id: string } }).feature.id;
  };
  const upload = (client: Client, mode: string) =>
    server.request(`/api/import/industrial_clusters/${mode}?filename=c.geojson`, {
      method: 'POST',
      headers: { ...(client.cookie ? { Cookie: client.cookie, 'X-CSRF-Token': client.csrf! } : {}) },
      body: JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', ...cluster(`Nhập ${mode} ${client.role}`) }] }),
    });
  let n = 0;
  const view = (title: string) => ({ title_vi: title, title_en: title, state: 'map=9/21.8/106.7' });
  const madeView = async (title: string) => ((await (await clients.admin.send('POST', '/api/views', view(title))).json()) as { view: { id: string; version: number } }).view;
  const writes: [string, (c: Client) => Promise<Response>, Record<Role, number>][] = [
    ['POST /api/features/:layer', (c) => c.send('POST', '/api/features/industrial_clusters', cluster(`Cụm ${c.role} ${n++}`)), { public: 401, viewer: 403, editor: 201, admin: 201 }],
    ['PATCH /api/features/:layer/:id', async (c) => {
      const id = await made(`Sửa ${n++}`);
      return c.send('PATCH', `/api/features/industrial_clusters/${id}`, { properties: { notes: 'x' } }, { 'If-Match': `"${await version(id)}"` });
    }, { public: 401, viewer: 403, editor: 200, admin: 200 }],
    ['DELETE /api/features/:layer/:id', async (c) => {
      const id = await made(`Xóa ${n++}`);
      return c.send('DELETE', `/api/features/industrial_clusters/${id}`, undefined, { 'If-Match': '"1"' });
    }, { public: 401, viewer: 403, editor: 204, admin: 204 }],
    ['POST /api/features/:layer/:id/revert', async (c) => {
      const id = await made(`Hoàn tác ${n++}`);
      const [entry] = await db().query<{ id: number }>('SELECT id::int AS id FROM feature_history WHERE feature_id = $1', [id]);
      return c.send('POST', `/api/features/industrial_clusters/${id}/revert`, { historyId: entry!.id }, { 'If-Match': '"1"' });
    }, { public: 401, viewer: 403, editor: 200, admin: 200 }],
    ['POST /api/import/:layer/preview', (c) => upload(c, 'preview'), { public: 401, viewer: 403, editor: 200, admin: 200 }],
    ['POST /api/import/:layer/commit', (c) => upload(c, 'commit'), { public: 401, viewer: 403, editor: 200, admin: 200 }],
    ['POST /api/views', (c) => c.send('POST', '/api/views', view(`Trang ${c.role} ${n++}`)), { public: 401, viewer: 403, editor: 201, admin: 201 }],
    ['PATCH /api/views/:id', async (c) => {
      const { id, version: v } = await madeView(`Sửa trang ${n++}`);
      return c.send('PATCH', `/api/views/${id}`, { notes_vi: 'x' }, { 'If-Match': `"${v}"` });
    }, { public: 401, viewer: 403, editor: 200, admin: 200 }],
    ['DELETE /api/views/:id', async (c) => {
      const { id, version: v } = await madeView(`Xóa trang ${n++}`);
      return c.send('DELETE', `/api/views/${id}`, undefined, { 'If-Match': `"${v}"` });
    }, { public: 401, viewer: 403, editor: 204, admin: 204 }],
    ['POST /api/views/reorder', async (c) => {
      const { views } = (await (await c.send('GET', '/api/views')).json()) as { views: { id: string }[] };
      return c.send('POST', '/api/views/reorder', { ids: views.map((v) => v.id).reverse() });
    }, { public: 401, viewer: 403, editor: 200, admin: 200 }],
    ['GET /api/users', (c) => c.send('GET', '/api/users'), { public: 401, viewer: 403, editor: 403, admin: 200 }],
    ['POST /api/users', (c) => c.send('POST', '/api/users', { username: `made-by-${c.role}`, password: 'a long enough password', role: 'viewer' }), { public: 401, viewer: 403, editor: 403, admin: 201 }],
    ['PATCH /api/users/:id', async (c) => {
      const [u] = await db().query<{ id: number }>("SELECT id::int AS id FROM users WHERE username = 'viewer-user'");
      return c.send('PATCH', `/api/users/${u!.id}`, { role: 'viewer' });
    }, { public: 401, viewer: 403, editor: 403, admin: 200 }],
    ['DELETE /api/users/:id', async (c) => {
      const [u] = await db().query<{ id: number }>("INSERT INTO users (username, password_hash, role) VALUES ($1, 'scrypt$x', 'viewer') RETURNING id::int AS id", [`gone-${n++}`]);
      return c.send('DELETE', `/api/users/${u!.id}`);
    }, { public: 401, viewer: 403, editor: 403, admin: 204 }],
    ['POST /api/vn2000/parcel', (c) => c.send('POST', '/api/vn2000/parcel', { text: '1, 2417000, 560000\n2, 2417100, 560000\n3, 2417100, 560100' }), { public: 200, viewer: 200, editor: 200, admin: 200 }],
  ];

  describe.each(roles)('%s writes', (role) => {
    it.each(writes.map(([name, run, expected]) => [`${name} → ${expected[role]}`, run, expected[role]] as const))('%s', async (_name, run, status) => {
      const res = await run(clients[role]);
      expect(res.status, await res.clone().text()).toBe(status);
    });
  });
});
