import { describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/adapter.ts';
import { layers } from '../../../server/layers/registry.ts';
import type { RevisionStore } from '../../../server/layers/revisions.ts';
import { LayerService } from '../../../server/layers/service.ts';

// A database double answering the summaries query with one row per layer it names.
function fakeDatabase() {
  const asked: string[][] = [];
  const db = {
    backend: 'pglite',
    query: async (_sql: string, params: unknown[]) => {
      const ids = params.filter((p): p is string => typeof p === 'string' && layers.some((l) => l.id === p));
      asked.push(ids);
      return ids.map((layer) => ({ layer, feature_count: 1, min_lon: 106, min_lat: 21, max_lon: 107, max_lat: 22, first_date: null, last_date: null }));
    },
  } as unknown as Database;
  return { db, asked };
}

describe('LayerService summaries', () => {
  it('re-read only the layers whose table changed', async () => {
    const fake = fakeDatabase();
    const revisions = new Map<string, number>([['zones', 1], ['parcels', 1]]);
    const store = { get: (t: string) => revisions.get(t) ?? 0, signature: () => JSON.stringify([...revisions]) } as unknown as RevisionStore;
    const service = new LayerService(fake.db, store);

    expect((await service.summaries()).size).toBe(layers.length);
    expect(fake.asked[0]).toEqual(layers.map((l) => l.id));
    await service.summaries();
    expect(fake.asked).toHaveLength(1);

    revisions.set('zones', 2);
    await service.summaries();
    expect(fake.asked[1]).toEqual(['industrial_parks', 'industrial_clusters']);
  });

  it('share one read among requests arriving together', async () => {
    const fake = fakeDatabase();
    const store = { get: () => 1, signature: () => '' } as unknown as RevisionStore;
    const service = new LayerService(fake.db, store);
    await Promise.all([service.summaries(), service.summaries(), service.summaries()]);
    expect(fake.asked).toHaveLength(1);
  });
});
