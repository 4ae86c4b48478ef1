// Saved views of the presentation. Anyone may play them (GET /api/views); editors add,
// rewrite, delete and order them, each write checked against the version it was made from.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth/middleware.ts';
import type { Database, Queryable } from '../db/adapter.ts';
import { commitEdit } from '../features/edit.ts';
import { prepareBody, sendCached, type CachedBody } from '../http/cached-body.ts';
import { requiredVersion } from '../http/if-match.ts';
import { parseBody, parseParam, parseQuery } from '../http/validate.ts';
import type { RevisionStore } from '../layers/revisions.ts';
import { createView, deleteView, reorderViews, updateView, type SavedView } from './edit.ts';
import { LIST_VIEWS_SQL } from './queries.ts';

const title = z.string().trim().min(1, 'must not be empty').max(200);
const notes = z.string().trim().max(2000).transform((text) => text || null).nullable();
// The app's URL hash without '#': the same characters the table accepts (migration 004).
const state = z.string().max(2000).regex(/^[A-Za-z0-9_\-.,/=&%:;+]*$/, 'must be a map state as in the app’s links');
const values = { title_vi: title, title_en: title, notes_vi: notes, notes_en: notes, state };
const createBody = z.strictObject({ ...values, notes_vi: notes.default(null), notes_en: notes.default(null) });
const updateBody = z.strictObject(values).partial().refine((b) => Object.keys(b).length > 0, 'give at least one value to change');
const reorderBody = z.strictObject({ ids: z.array(z.string().max(80)).min(1).max(1000) });
const viewId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'is not a view id').max(80);

export function addViewRoutes(router: Router, db: Database, revisions: RevisionStore): void {
  let cached: { revision: number; body: CachedBody } | undefined;
  router.get('/views', async (req, res) => {
    parseQuery(z.object({}), req);
    const revision = revisions.get('saved_views');
    if (cached?.revision !== revision) {
      cached = { revision, body: await prepareBody(JSON.stringify({ views: await db.query(LIST_VIEWS_SQL) }), 'application/json') };
    }
    sendCached(req, res, cached.body, 'public, no-cache');
  });

  const editor = requireRole('editor');
  const write = <T>(fn: (tx: Queryable) => Promise<T>) => commitEdit(db, revisions, fn);
  const actor = (req: Request) => req.user!.username;
  const idOf = (req: Request) => parseParam(viewId, req.params.id, 'id');
  const sendView = (res: Response, view: SavedView, status = 200) => {
    res.status(status).setHeader('ETag', `"${view.version}"`).setHeader('Cache-Control', 'no-store');
    res.json({ view });
  };

  router.post('/views', editor, async (req, res) => {
    const body = parseBody(createBody, req);
    const view = await write((tx) => createView(tx, body, actor(req)));
    sendView(res.location(`/api/views/${view.id}`), view, 201);
  });

  router.post('/views/reorder', editor, async (req, res) => {
    const { ids } = parseBody(reorderBody, req);
    await write((tx) => reorderViews(tx, ids, actor(req)));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ views: await db.query(LIST_VIEWS_SQL) });
  });

  router.patch('/views/:id', editor, async (req, res) => {
    const id = idOf(req);
    const expected = requiredVersion(req);
    const body = parseBody(updateBody, req);
    sendView(res, await write((tx) => updateView(tx, id, body, expected, actor(req))));
  });

  router.delete('/views/:id', editor, async (req, res) => {
    const id = idOf(req);
    const expected = requiredVersion(req);
    await write((tx) => deleteView(tx, id, expected));
    res.setHeader('Cache-Control', 'no-store');
    res.status(204).end();
  });
}
