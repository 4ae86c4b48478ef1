import { describe, expect, it } from 'vitest';
import { buildLayerQueries, layerSummariesSql, propertiesSql } from '../../../server/layers/queries.ts';
import { findLayer, layers } from '../../../server/layers/registry.ts';

const parks = findLayer('industrial_parks')!;

describe('layer queries', () => {
  it('select no internal field for the public, and drop per-feature hidden fields', () => {
    const sql = buildLayerQueries(parks, 'public').collection;
    expect(sql).not.toContain('internal_notes');
    expect(sql).toContain('- t.internal_fields');
  });

  it('select internal fields for staff', () => {
    expect(buildLayerQueries(parks, 'internal').collection).toContain('"internal_notes"');
  });

  it('pass the layer filter and the bbox as parameters, never as literals', () => {
    const q = buildLayerQueries(parks, 'public');
    expect(q.filterParams).toEqual([['industrial_park']]);
    expect(q.collection).not.toContain("'industrial_park'");
    expect(q.collectionInBbox).toContain('ST_MakeEnvelope($2, $3, $4, $5, 4326)');
    expect(q.feature).toContain('t.id = $2');
    const communes = buildLayerQueries(findLayer('communes')!, 'public');
    expect(communes.filterParams).toEqual([]);
    expect(communes.feature).toContain('t.id = $1');
  });

  it('build wide property objects in chunks under the 100-argument limit', () => {
    const many = Array.from({ length: 45 }, (_, i) => ({ ...parks.table.fields[0]!, name: `f${i}` }));
    const sql = propertiesSql(parks, many, 'internal');
    expect(sql.match(/jsonb_build_object\(/g)).toHaveLength(2);
  });

  it('simplify big base outlines when serving them', () => {
    expect(buildLayerQueries(findLayer('province')!, 'public').collection).toContain('ST_SimplifyPreserveTopology(t."geom", 0.0001)');
  });

  it('summarise every layer in one statement', () => {
    const { sql, params } = layerSummariesSql(layers);
    expect(sql.match(/UNION ALL/g)).toHaveLength(layers.length - 1);
    expect(params).toContain('industrial_parks');
  });
});
