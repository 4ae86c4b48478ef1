// GET /api/views: the saved views of the presentation, in order. Anyone may play them.
import type { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/adapter.ts';
import { prepareBody, sendCached } from '../http/cached-body.ts';
import { parseQuery } from '../http/validate.ts';
import type { RevisionStore } from '../layers/revisions.ts';
import { LIST_VIEWS_SQL } from './queries.ts';

export function addViewRoutes(router: Router, db: Database, revisions: RevisionStore): void {
  let cached: { revision: number; body: ReturnType<typeof prepareBody> } | undefined;
  router.get('/views', async (req, res) => {
    parseQuery(z.object({}), req);
    const revision = revisions.get('saved_views');
    if (cached?.revision !== revision) {
      cached = { revision, body: prepareBody(JSON.stringify({ views: await db.query(LIST_VIEWS_SQL) }), 'application/json') };
    }
    sendCached(req, res, cached.body, 'public, no-cache');
  });
}
