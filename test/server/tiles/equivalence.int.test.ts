// Both backends must serve the same tiles: the same features with the same properties.
// Geometry is encoded by different code (ST_AsMVTGeom in PostgreSQL's PostGIS, the same
// steps in SQL on PGlite), so it is compared by type and extent within a tile unit or two.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layers } from '../../../server/layers/registry.ts';
import { NodeEncoder, PostgisEncoder } from '../../../server/tiles/encoders.ts';
import type { TileAddress } from '../../../server/tiles/queries.ts';
import { backendNames, openTestDatabase } from '../../support/backends.ts';
import { loadTestParcels } from '../../support/parcels.ts';
import { decodeTile, pointsOn, tileAt } from '../../support/tiles.ts';

const bothBackends = backendNames().includes('postgres');

describe.skipIf(!bothBackends)('vector tiles are equivalent on PGlite and PostgreSQL', () => {
  const opened: Awaited<ReturnType<typeof openTestDatabase>>[] = [];
  beforeAll(async () => {
    opened.push(await openTestDatabase('pglite'), await openTestDatabase('postgres'));
    for (const { db } of opened) {
      await loadTestParcels(db);
      // The two copies were seeded at different times.
      for (const table of ['zones', 'border_gates', 'border_markers', 'projects', 'planning_areas']) {
        await db.query(`UPDATE ${table} SET updated_at = '2026-01-01T00:00:00Z'`);
      }
    }
  });
  afterAll(async () => {
    for (const o of opened) await o.dispose();
  });

  it.each(layers.map((l) => [l.id, l]))('%s: same features and properties at zooms 5 to 16', async (_id, layer) => {
    const [pglite, postgres] = opened.map((o) => o.db);
    const tiles = new Map<string, TileAddress>();
    for (const point of await pointsOn(postgres!, layer, 3)) {
      for (const z of [5, 8, 11, 13, 16]) {
        const t = tileAt(point.lon, point.lat, z);
        tiles.set(`${t.z}/${t.x}/${t.y}`, t);
      }
    }
    let compared = 0;
    for (const [key, tile] of tiles) {
      const node = decodeTile(await new NodeEncoder().encode(pglite!, layer, tile), layer.id);
      const postgis = decodeTile(await new PostgisEncoder().encode(postgres!, layer, tile), layer.id);
      expect(node.map((f) => f.id), `${layer.id} ${key}`).toEqual(postgis.map((f) => f.id));
      node.forEach((f, i) => {
        const other = postgis[i]!;
        expect(f.properties, `${layer.id} ${key} ${f.id}`).toEqual(other.properties);
        expect(f.type).toBe(other.type);
        f.bbox.forEach((v, j) => expect(Math.abs(v - other.bbox[j]!), `${layer.id} ${key} ${f.id} bbox`).toBeLessThanOrEqual(2));
      });
      compared += node.length;
    }
    expect(compared).toBeGreaterThan(0);
  });
});
