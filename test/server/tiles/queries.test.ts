import { describe, expect, it } from 'vitest';
import { findLayer, layers } from '../../../server/layers/registry.ts';
import { PostgisEncoder } from '../../../server/tiles/encoders.ts';
import { MAX_FEATURES_PER_TILE, tileFields, tileRowsSql } from '../../../server/tiles/queries.ts';

const parks = findLayer('industrial_parks')!;

describe('tile queries', () => {
  it('filter with the GiST operator on the buffered tile envelope, and bound the feature count', () => {
    for (const layer of layers) {
      const { sql } = tileRowsSql(layer, (g) => g);
      expect(sql).toMatch(/t\."\w+" && tile\.filter/);
      expect(sql).toContain('margin => 0.015625');
      expect(sql).toContain(`LIMIT ${MAX_FEATURES_PER_TILE}`);
    }
  });

  it('carry only public scalar fields, and hide per-feature hidden ones', () => {
    const names = tileFields(parks).map((f) => f.name);
    expect(names).toContain('status');
    expect(names).not.toContain('internal_notes');
    expect(names).not.toContain('legal_basis');
    const { sql } = tileRowsSql(parks, (g) => g);
    expect(sql).not.toContain('internal_notes');
    expect(sql).toContain(`CASE WHEN 'status' = ANY(t.internal_fields) THEN NULL ELSE t."status" END AS "status"`);
  });

  it('pass z, x, y after the layer filter values, as parameters', () => {
    const { sql, filterParams } = tileRowsSql(parks, (g) => g);
    expect(filterParams).toEqual([['industrial_park']]);
    expect(sql).toContain('ST_TileEnvelope($2, $3, $4)');
  });

  it('encode on PostgreSQL with ST_AsMVTGeom and ST_AsMVT in one statement', async () => {
    const seen: { sql: string; params: readonly unknown[] }[] = [];
    const db = { query: async (sql: string, params: readonly unknown[] = []) => (seen.push({ sql, params }), []), exec: async () => {} };
    expect((await new PostgisEncoder().encode(db as never, parks, { z: 10, x: 812, y: 448 })).length).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.sql).toMatch(/^SELECT ST_AsMVT\(q, \$5::text, 4096, 'geom'\).*ST_AsMVTGeom\(/);
    expect(seen[0]!.params).toEqual([['industrial_park'], 10, 812, 448, 'industrial_parks']);
  });
});
