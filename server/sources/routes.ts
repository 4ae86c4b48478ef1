// GET /api/sources: the provenance behind every feature's `sources` keys.
import type { Router } from 'express';
import type { Database } from '../db/adapter.ts';

export function addSourceRoutes(router: Router, db: Database): void {
  router.get('/sources', async (_req, res) => {
    const rows = await db.query(
      'SELECT key, title, publisher, published, url, licence, note FROM sources ORDER BY key',
    );
    res.setHeader('Cache-Control', 'public, no-cache');
    res.json({ sources: rows });
  });
}
