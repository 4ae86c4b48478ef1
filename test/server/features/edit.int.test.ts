import type { Feature, FeatureCollection } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicClient, userClient, type Client } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

type Served = Feature & { id: string; properties: Record<string, unknown> };
type Problem = { error: string; detail: string; fields?: { field: string; code: string; message: { vi: string; en: string } }[] };

const ZONE = 'vsip-lang-son';
const square = (lon: number, lat: number, d = 0.01) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});
const newCluster = (extra: Record<string, unknown> = {}) => ({
  properties: {
    name_vi: 'Cụm công nghiệp Thử Nghiệm',
    name_en: 'Test Industrial Cluster',
    status: 'planned',
    sources: ['SEED-001'],
    source_date: '2025-12-01',
    accuracy: 'surveyed',
    area_ha: 50,
    ...extra,
  },
  geometry: square(106.5, 21.6),
});

describeEachBackend('editing features', ({ db }) => {
  let server: TestServer;
  let editor: Client;
  let other: Client;
  beforeAll(async () => {
    server = await startTestServer(db());
    editor = await userClient(db(), server, 'editor', 'editor-a');
    other = await userClient(db(), server, 'editor', 'editor-b');
  });
  afterAll(() => server.close());

  const current = async (layer = 'industrial_parks', id = ZONE, client: Client = editor) =>
    (await (await client.send('GET', `/api/features/${layer}/${id}`)).json()) as Served;
  const patch = (client: Client, version: number | null, body: unknown, layer = 'industrial_parks', id = ZONE) =>
    client.send('PATCH', `/api/features/${layer}/${id}`, body, version === null ? {} : { 'If-Match': `"${version}"` });
  const problem = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    return (await res.json()) as Problem;
  };

  describe('updates', () => {
    it('changes a status with If-Match, bumps the version and serves the change at once', async () => {
      const before = await current();
      const res = await patch(editor, before.properties.version as number, { properties: { status: 'operating', internal_notes: 'negotiating' } });
      expect(res.status).toBe(200);
      const { feature } = (await res.json()) as { feature: Served };
      expect(feature.properties).toMatchObject({ status: 'operating', internal_notes: 'negotiating', version: (before.properties.version as number) + 1 });
      expect(res.headers.get('etag')).toBe(`"${feature.properties.version}"`);
      const layer = (await (await server.get('/api/layers/industrial_parks')).json()) as FeatureCollection;
      expect(layer.features.find((f) => f.id === ZONE)!.properties!.status).toBe('operating');
    });

    it('needs If-Match (428) and refuses a stale version (412) showing both versions', async () => {
      expect((await problem(await patch(editor, null, { properties: { notes: 'x' } }), 428)).error).toBe('precondition_required');
      const body = { properties: { notes: 'from an old copy' } };
      const stale = await problem(await patch(editor, 1, body), 412);
      const now = await current();
      expect(stale).toMatchObject({ error: 'version_conflict', currentVersion: now.properties.version, submittedVersion: 1, submitted: body });
      expect((stale as unknown as { current: Served }).current.properties.version).toBe(now.properties.version);
      expect(now.properties.notes).not.toBe('from an old copy');
      expect((await problem(await patch(editor, null, {}, 'industrial_parks', ZONE), 428)).error).toBe('precondition_required');
      expect((await editor.send('PATCH', `/api/features/industrial_parks/${ZONE}`, body, { 'If-Match': 'W/"abc"' })).status).toBe(400);
    });

    it('lets exactly one of two editors saving the same version win; the other gets 412', async () => {
      const version = (await current()).properties.version as number;
      const results = await Promise.all([
        patch(editor, version, { properties: { developer: 'Editor A' } }),
        patch(other, version, { properties: { developer: 'Editor B' } }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 412]);
      const winner = results[0]!.status === 200 ? 'Editor A' : 'Editor B';
      const now = await current();
      expect(now.properties.developer).toBe(winner);
      expect(now.properties.version).toBe(version + 1);
      const history = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM feature_history WHERE feature_id = $1 AND after->>'developer' LIKE 'Editor %'", [ZONE]);
      expect(history[0]!.n).toBe(1);
    });

    it.each([
      [{ properties: { status: 'finished' } }, 'status', 'vocabulary'],
      [{ properties: { area_ha: 100, leasable_ha: 120 } }, 'leasable_ha', 'leasable_over_area'],
      [{ properties: { leasable_ha: 100, occupied_ha: 150 } }, 'occupied_ha', 'occupied_over_leasable'],
      [{ properties: { area_ha: -5 } }, 'area_ha', 'positive'],
      [{ properties: { area_ha: 'big' } }, 'area_ha', 'type'],
      [{ properties: { status_date: '2999-01-01' } }, 'status_date', 'date_future'],
      [{ properties: { status_date: '2025-02-30' } }, 'status_date', 'date_format'],
      [{ properties: { name_vi: null } }, 'name_vi', 'required'],
      [{ properties: { colour: 'red' } }, 'colour', 'unknown_field'],
      [{ properties: { kind: 'industrial_cluster' } }, 'kind', 'layer_mismatch'],
      [{ properties: { sources: ['NO-SUCH-SOURCE'] } }, 'sources', 'unknown_source'],
      [{ properties: { internal_fields: ['status'] } }, 'internal_fields', 'not_hideable'],
      [{ properties: { legal_basis: [{ number: '1/QĐ' }] } }, 'legal_basis', 'legal_basis'],
      [{ geometry: { type: 'Point', coordinates: [106.5, 21.6] } }, 'geometry', 'geometry_type'],
      [{ geometry: square(105.0, 21.0) }, 'geometry', 'outside_province'],
      [{ geometry: { type: 'Polygon', coordinates: [[[106.5, 21.6], [106.51, 21.6]]] } }, 'geometry', 'geometry_malformed'],
    ])('refuses %j per field (%s: %s) in both languages', async (body, field, code) => {
      const before = await current();
      const res = await problem(await patch(editor, before.properties.version as number, body), 422);
      expect(res.error).toBe('validation_failed');
      const error = res.fields!.find((f) => f.field === field)!;
      expect(error, JSON.stringify(res.fields)).toMatchObject({ field, code });
      expect(error.message.vi).toMatch(/[^\x00-\x7F]/);
      expect(error.message.en.length).toBeGreaterThan(3);
      expect((await current()).properties.version).toBe(before.properties.version);
    });

    it('repairs a self-intersecting outline only when the editor asks', async () => {
      const bowtie = { type: 'Polygon', coordinates: [[[106.35, 21.47], [106.37, 21.49], [106.37, 21.47], [106.35, 21.49], [106.35, 21.47]]] };
      const version = (await current()).properties.version as number;
      const refused = await problem(await patch(editor, version, { geometry: bowtie }), 422);
      expect(refused.fields![0]).toMatchObject({ field: 'geometry', code: 'geometry_invalid' });
      expect(refused.fields![0]!.message.en).toMatch(/Self-intersection/);
      const repaired = await patch(editor, version, { geometry: bowtie, repair: true });
      expect(repaired.status).toBe(200);
      const body = (await repaired.json()) as { feature: Served; repaired: boolean };
      expect(body.repaired).toBe(true);
      expect(body.feature.geometry.type).toBe('MultiPolygon');
      const [valid] = await db().query<{ ok: boolean }>('SELECT ST_IsValid(geom) AS ok FROM zones WHERE id = $1', [ZONE]);
      expect(valid!.ok).toBe(true);
    });
  });

  describe('create, delete, history, as-of, revert', () => {
    it('creates a cluster (kind from the layer, id from the name) and deletes it with If-Match', async () => {
      const res = await editor.send('POST', '/api/features/industrial_clusters', newCluster());
      expect(res.status).toBe(201);
      const { feature } = (await res.json()) as { feature: Served };
      expect(feature.id).toBe('cum-cong-nghiep-thu-nghiem');
      expect(res.headers.get('location')).toBe('/api/features/industrial_clusters/cum-cong-nghiep-thu-nghiem');
      expect(feature.properties).toMatchObject({ kind: 'industrial_cluster', version: 1, status: 'planned' });
      const again = await editor.send('POST', '/api/features/industrial_clusters', newCluster());
      expect(((await again.json()) as { feature: Served }).feature.id).toBe('cum-cong-nghiep-thu-nghiem-2');
      const missing = await problem(await editor.send('POST', '/api/features/industrial_clusters', { properties: { name_vi: 'X' }, geometry: null }), 422);
      expect(missing.fields!.map((f) => f.field).sort()).toEqual(['accuracy', 'geometry', 'name_en', 'source_date', 'sources', 'status'].sort());
      expect((await editor.send('DELETE', '/api/features/industrial_clusters/cum-cong-nghiep-thu-nghiem-2')).status).toBe(428);
      expect((await editor.send('DELETE', '/api/features/industrial_clusters/cum-cong-nghiep-thu-nghiem-2', undefined, { 'If-Match': '"1"' })).status).toBe(204);
      expect((await server.get('/api/features/industrial_clusters/cum-cong-nghiep-thu-nghiem-2')).status).toBe(404);
      // A park is not found among clusters.
      expect((await editor.send('DELETE', `/api/features/industrial_clusters/${ZONE}`, undefined, { 'If-Match': '"1"' })).status).toBe(404);
    });

    it('keeps who changed what, showing the public neither names nor internal fields', async () => {
      const gate = 'cua-khau-huu-nghi';
      const g = await current('border_gates', gate);
      const res = await patch(editor, g.properties.version as number, { properties: { internal_notes: 'auction plan B', partner_gate: 'Hữu Nghị Quan (友谊关)' } }, 'border_gates', gate);
      expect(res.status).toBe(200);
      type Entry = { action: string; actor?: string; changes: { field: string; before: unknown; after: unknown }[] };
      const staff = (await (await editor.send('GET', `/api/features/border_gates/${gate}/history`)).json()) as { entries: Entry[] };
      const last = staff.entries.at(-1)!;
      expect(last).toMatchObject({ action: 'update', actor: 'editor-a' });
      expect(last.changes.map((c) => c.field).sort()).toEqual(['internal_notes', 'partner_gate']);
      expect(staff.entries[0]).toMatchObject({ action: 'create', actor: 'seed' });
      const publicRes = await server.get(`/api/features/border_gates/${gate}/history`);
      expect(publicRes.headers.get('vary')).toMatch(/Cookie/);
      const text = await publicRes.text();
      expect(text).not.toContain('auction plan B');
      expect(text).not.toContain('internal_notes');
      expect(text).not.toContain('editor-a');
      const pub = JSON.parse(text) as { entries: Entry[] };
      expect(pub.entries.at(-1)!.changes.map((c) => c.field)).toEqual(['partner_gate']);
      expect(pub.entries.at(-1)!.actor).toBeUndefined();
    });

    it('replays history: the layer as of a moment, before and after changes and a deletion', async () => {
      const layer = 'industrial_clusters';
      const created = (await (await editor.send('POST', `/api/features/${layer}`, newCluster({ name_vi: 'Cụm Lịch Sử', status: 'proposed' }))).json()) as { feature: Served };
      const id = created.feature.id;
      const historyOf = async () => ((await (await editor.send('GET', `/api/features/${layer}/${id}/history`)).json()) as { entries: { id: number; at: string }[] }).entries;
      const afterCreate = new Date(new Date((await historyOf())[0]!.at).getTime() + 1).toISOString();
      expect((await patch(editor, 1, { properties: { status: 'approved' } }, layer, id)).status).toBe(200);
      const afterUpdate = new Date(new Date((await historyOf())[1]!.at).getTime() + 1).toISOString();
      expect((await editor.send('DELETE', `/api/features/${layer}/${id}`, undefined, { 'If-Match': '"2"' })).status).toBe(204);

      const asOf = async (at: string) =>
        ((await (await editor.send('GET', `/api/layers/${layer}?as_of=${encodeURIComponent(at)}`)).json()) as FeatureCollection).features.find((f) => f.id === id);
      expect((await asOf(afterCreate))!.properties!.status).toBe('proposed');
      expect((await asOf(afterUpdate))!.properties!.status).toBe('approved');
      expect(await asOf(new Date().toISOString())).toBeUndefined();
      expect(await asOf('2000-01-01')).toBeUndefined();
      // Today's layer as of now equals the live layer, byte for byte in content.
      const live = (await (await server.get(`/api/layers/${layer}`)).json()) as FeatureCollection;
      const now = (await (await server.get(`/api/layers/${layer}?as_of=${encodeURIComponent(new Date().toISOString())}`)).json()) as FeatureCollection;
      expect(now).toEqual(live);
      expect((await server.get('/api/layers/communes?as_of=2025-01-01')).status).toBe(400);
      expect((await server.get(`/api/layers/${layer}?as_of=yesterday`)).status).toBe(400);
    });

    it('reverts one change as a new change: an update, a deletion and a creation', async () => {
      const layer = 'industrial_clusters';
      const { feature } = (await (await editor.send('POST', `/api/features/${layer}`, newCluster({ name_vi: 'Cụm Hoàn Tác', status: 'proposed' }))).json()) as { feature: Served };
      const id = feature.id;
      await patch(editor, 1, { properties: { status: 'operating', area_ha: 70 } }, layer, id);
      const entries = async () => ((await (await editor.send('GET', `/api/features/${layer}/${id}/history`)).json()) as { entries: { id: number; action: string }[] }).entries;
      const [create, update] = await entries();
      const revert = (historyId: number, version?: number) =>
        editor.send('POST', `/api/features/${layer}/${id}/revert`, { historyId }, version ? { 'If-Match': `"${version}"` } : {});
      expect((await revert(update!.id, 1)).status).toBe(412);
      const undone = (await (await revert(update!.id, 2)).json()) as { feature: Served };
      expect(undone.feature.properties).toMatchObject({ status: 'proposed', area_ha: 50, version: 3 });
      expect((await publicClient(server).send('POST', `/api/features/${layer}/${id}/revert`, { historyId: update!.id })).status).toBe(401);
      // Reverting the creation deletes; reverting that deletion brings it back.
      expect((await revert(create!.id, 3)).status).toBe(200);
      expect((await server.get(`/api/features/${layer}/${id}`)).status).toBe(404);
      const deletion = (await entries()).at(-1)!;
      expect(deletion.action).toBe('delete');
      const back = (await (await revert(deletion.id)).json()) as { feature: Served };
      expect(back.feature.properties).toMatchObject({ status: 'proposed', name_vi: 'Cụm Hoàn Tác' });
      expect((await entries()).map((e) => e.action)).toEqual(['create', 'update', 'update', 'delete', 'create']);
    });

    it('edits only thematic layers, and only as an editor', async () => {
      expect((await editor.send('POST', '/api/features/communes', newCluster())).status).toBe(405);
      expect((await publicClient(server).send('POST', '/api/features/industrial_clusters', newCluster())).status).toBe(401);
      const viewer = await userClient(db(), server, 'viewer');
      expect((await viewer.send('POST', '/api/features/industrial_clusters', newCluster())).status).toBe(403);
    });
  });
});
