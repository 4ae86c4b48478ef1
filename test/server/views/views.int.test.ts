import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { geodataDir } from '../../../server/prepare.ts';
import { seedDatabase } from '../../../server/seed/seed.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

type View = { id: string; position: number; title_vi: string; state: string };
const seeded = JSON.parse(fs.readFileSync(path.join(geodataDir, 'seed/saved_views.json'), 'utf8')) as View[];

describeEachBackend('saved views', ({ db }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(db());
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
});
