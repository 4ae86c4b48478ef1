import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geodataDir } from '../../../server/prepare.ts';
import { seedDatabase } from '../../../server/seed/seed.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';
import { userClient, type Client } from '../../support/auth.ts';

type View = { id: string; position: number; title_vi: string; title_en: string; notes_vi: string | null; state: string; version: number; updated_by: string };
const seeded = JSON.parse(fs.readFileSync(path.join(geodataDir, 'seed/saved_views.json'), 'utf8')) as View[];

describeEachBackend('saved views', ({ db }) => {
  let server: TestServer;
  let editor: Client;
  beforeAll(async () => {
    server = await startTestServer(db());
    editor = await userClient(db(), server, 'editor');
  });
  afterAll(() => server.close());

  const list = async () => ((await (await server.get('/api/views')).json()) as { views: View[] }).views;

  it('lists the seeded views in presentation order', async () => {
    expect((await list()).map((v) => v.id)).toEqual(seeded.map((v) => v.id));
  });

  it('answers 304 while nothing changes, and sees changes', async () => {
    const first = await server.get('/api/views');
    expect((await server.get('/api/views', { 'If-None-Match': first.headers.get('etag')! })).status).toBe(304);
    await db().query(`UPDATE saved_views SET position = -1 WHERE id = $1`, [seeded.at(-1)!.id]);
    await eventually(async () => expect((await list())[0]!.id).toBe(seeded.at(-1)!.id));
  });

  it('seeds the views once: an editor’s deletion is not undone by a restart', async () => {
    await db().query(`DELETE FROM saved_views WHERE id = $1`, [seeded[0]!.id]);
    const report = await seedDatabase(db(), geodataDir);
    expect(report.savedViews).toBe('kept');
    expect((await db().query(`SELECT id FROM saved_views WHERE id = $1`, [seeded[0]!.id]))).toEqual([]);
  });

  it('refuses a map state a link never contains', async () => {
    await expect(db().query(`UPDATE saved_views SET state = '<script>' WHERE id = $1`, [seeded[1]!.id])).rejects.toThrow();
  });

  describe('kept by editors', () => {
    const slide = { title_vi: 'Cụm công nghiệp Na Dương', title_en: 'Na Dương industrial clusters', notes_vi: 'Ba cụm, gần mỏ than.', state: 'map=12/21.7/106.97&sel=industrial_clusters/ccn-na-duong-1' };
    const create = async (body: object = slide) => editor.send('POST', '/api/views', body);
    const created = async (body: object = slide) => ((await (await create(body)).json()) as { view: View }).view;

    it('adds the current map as the last view, with an id from its title, and who made it', async () => {
      const before = await list();
      const res = await create();
      expect(res.status).toBe(201);
      const { view } = (await res.json()) as { view: View };
      expect(view).toMatchObject({ id: 'cum-cong-nghiep-na-duong', title_vi: slide.title_vi, notes_vi: slide.notes_vi, state: slide.state, version: 1, updated_by: 'editor-user' });
      expect(res.headers.get('location')).toBe(`/api/views/${view.id}`);
      expect(res.headers.get('etag')).toBe('"1"');
      await eventually(async () => expect((await list()).map((v) => v.id)).toEqual([...before.map((v) => v.id), view.id]));
      // The same title again gets an id of its own.
      expect((await created()).id).toBe('cum-cong-nghiep-na-duong-2');
    });

    it('rewrites a view only from its current version: 428 without If-Match, 412 with both versions when stale', async () => {
      const view = await created({ ...slide, title_vi: 'Trang sửa' });
      expect((await editor.send('PATCH', `/api/views/${view.id}`, { notes_vi: 'A' })).status).toBe(428);
      const first = await editor.send('PATCH', `/api/views/${view.id}`, { notes_vi: 'A' }, { 'If-Match': '"1"' });
      expect(first.status).toBe(200);
      expect(((await first.json()) as { view: View }).view).toMatchObject({ notes_vi: 'A', title_vi: 'Trang sửa', version: 2 });
      const stale = await editor.send('PATCH', `/api/views/${view.id}`, { notes_vi: 'B' }, { 'If-Match': '"1"' });
      expect(stale.status).toBe(412);
      const body = (await stale.json()) as { error: string; currentVersion: number; current: View };
      expect(body).toMatchObject({ error: 'version_conflict', currentVersion: 2, current: { notes_vi: 'A' } });
      // Clearing the notes is a change too.
      const cleared = await editor.send('PATCH', `/api/views/${view.id}`, { notes_vi: '  ' }, { 'If-Match': '"2"' });
      expect(((await cleared.json()) as { view: View }).view.notes_vi).toBeNull();
    });

    it('refuses what is not a view, naming the field, and writes nothing', async () => {
      const before = await list();
      for (const [body, field] of [
        [{ ...slide, title_vi: ' ' }, 'title_vi'],
        [{ ...slide, state: 'map=1/2/3"><script>' }, 'state'],
        [{ ...slide, state: 'x'.repeat(2001) }, 'state'],
        [{ ...slide, extra: 1 }, ''],
        [{ title_vi: 'Chỉ tiêu đề' }, 'title_en'],
      ] as const) {
        const res = await create(body);
        expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(((await res.json()) as { detail: string }).detail).toContain(field);
      }
      expect((await editor.send('PATCH', '/api/views/NOT%20AN%20ID', { notes_vi: 'x' }, { 'If-Match': '"1"' })).status).toBe(400);
      expect((await editor.send('PATCH', '/api/views/khong-co', { notes_vi: 'x' }, { 'If-Match': '"1"' })).status).toBe(404);
      expect(await list()).toEqual(before);
    });

    it('puts the views in the order given, and refuses an order made from a stale list', async () => {
      const ids = (await list()).map((v) => v.id);
      const reversed = [...ids].reverse();
      const res = await editor.send('POST', '/api/views/reorder', { ids: reversed });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { views: View[] }).views.map((v) => v.id)).toEqual(reversed);
      await eventually(async () => expect((await list()).map((v) => v.id)).toEqual(reversed));

      const missing = await editor.send('POST', '/api/views/reorder', { ids: reversed.slice(1) });
      expect(missing.status).toBe(409);
      expect(((await missing.json()) as { missing: string[] }).missing).toEqual([reversed[0]]);
      expect((await editor.send('POST', '/api/views/reorder', { ids: [...reversed, 'khong-co'] })).status).toBe(409);
      expect((await editor.send('POST', '/api/views/reorder', { ids: [...reversed, reversed[0]] })).status).toBe(400);
      expect((await list()).map((v) => v.id)).toEqual(reversed);
    });

    it('deletes a view from its current version only', async () => {
      const view = await created({ ...slide, title_vi: 'Trang xóa' });
      expect((await editor.send('DELETE', `/api/views/${view.id}`, undefined, { 'If-Match': '"7"' })).status).toBe(412);
      expect((await editor.send('DELETE', `/api/views/${view.id}`, undefined, { 'If-Match': '"1"' })).status).toBe(204);
      await eventually(async () => expect((await list()).map((v) => v.id)).not.toContain(view.id));
      expect((await editor.send('DELETE', `/api/views/${view.id}`, undefined, { 'If-Match': '"1"' })).status).toBe(404);
    });
  });
});
