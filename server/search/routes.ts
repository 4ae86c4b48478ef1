// GET /api/search?q=…&limit=…
import type { Router } from 'express';
import { z } from 'zod';
import { parseQuery } from '../http/validate.ts';
import type { SearchIndex } from './search-index.ts';

export const MAX_QUERY_LENGTH = 100;

const searchQuery = z.object({
  q: z
    .string({ error: 'is required (the text to search for)' })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1, 'must not be empty').max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`)),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export function addSearchRoutes(router: Router, index: SearchIndex): void {
  router.get('/search', async (req, res) => {
    const { q, limit } = parseQuery(searchQuery, req);
    const hits = await index.search(q, limit);
    res.setHeader('Cache-Control', 'no-cache');
    res.json({ query: q, hits });
  });
}
