// Reading vector tiles back in tests, with the decoder MapLibre's ecosystem uses.
import { expect } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { Database } from '../../server/db/adapter.ts';
import { ident } from '../../server/db/sql.ts';
import { layerFilterSql } from '../../server/layers/queries.ts';
export { tileAt } from '../../scripts/lib/tile-math.ts';
import type { LayerSpec } from '../../server/layers/registry.ts';

export type DecodedFeature = {
  id: string;
  type: number;
  properties: Record<string, unknown>;
  bbox: [number, number, number, number];
};

export function decodeTile(bytes: Uint8Array, layerId: string): DecodedFeature[] {
  const tile = new VectorTile(new PbfReader(bytes));
  expect(Object.keys(tile.layers)).toEqual(bytes.length ? [layerId] : []);
  const layer = tile.layers[layerId];
  if (!layer) return [];
  return Array.from({ length: layer.length }, (_, i) => {
    const f = layer.feature(i);
    const points = f.loadGeometry().flat();
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    return {
      id: String(f.properties.id),
      type: f.type,
      properties: { ...f.properties },
      bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as [number, number, number, number],
    };
  }).sort((a, b) => a.id.localeCompare(b.id));
}

/** A point on each of the layer's first `count` features (by id). */
export async function pointsOn(db: Database, layer: LayerSpec, count: number): Promise<{ id: string; lon: number; lat: number }[]> {
  const filter = layerFilterSql(layer);
  const column = `t.${ident(layer.geometryColumn)}`;
  return db.query(
    `SELECT t.id, ST_X(ST_PointOnSurface(${column})) AS lon, ST_Y(ST_PointOnSurface(${column})) AS lat
     FROM ${ident(layer.table.name)} t WHERE ${filter.sql} ORDER BY t.id LIMIT ${count}`,
    filter.params,
  );
}
