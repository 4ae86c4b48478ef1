// The one place where the backends differ for tiles. PostgreSQL's PostGIS encodes the
// whole tile in one query (ST_AsMVTGeom + ST_AsMVT). PGlite's PostGIS is built without
// protobuf, so both functions are missing: there the same steps as ST_AsMVTGeom — scale
// to tile units, snap to the integer grid, clip to the buffered tile, repair and orient
// polygons — are written out in SQL, and @maplibre/vt-pbf writes the protobuf in Node.
// Both give the same features with the same properties
// (test/server/tiles/equivalence.int.test.ts).
import Point from '@mapbox/point-geometry';
import { fromVectorTileJs, type VectorTileFeatureLike } from '@maplibre/vt-pbf';
import type { Database, Queryable } from '../db/adapter.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { ident, nameLiteral } from '../db/sql.ts';
import { BUFFER, EXTENT, EXTRA_PROPERTIES, tileRowsSql, type TileAddress, type TileGeometrySql } from './queries.ts';

export interface TileEncoder {
  /** The layer's features in one tile as an MVT; empty when the tile has none. */
  encode(db: Queryable, layer: LayerSpec, tile: TileAddress): Promise<Uint8Array>;
}

export function tileEncoderFor(backend: Database['backend']): TileEncoder {
  return backend === 'postgres' ? new PostgisEncoder() : new NodeEncoder();
}

/** Builds each layer's SQL once. */
abstract class CachedSql implements TileEncoder {
  private readonly sql = new Map<string, { sql: string; filterParams: unknown[] }>();

  protected abstract build(layer: LayerSpec): { sql: string; filterParams: unknown[] };
  abstract encode(db: Queryable, layer: LayerSpec, tile: TileAddress): Promise<Uint8Array>;

  protected query(layer: LayerSpec, tile: TileAddress): { sql: string; params: unknown[] } {
    let built = this.sql.get(layer.id);
    if (!built) {
      built = this.build(layer);
      this.sql.set(layer.id, built);
    }
    return { sql: built.sql, params: [...built.filterParams, tile.z, tile.x, tile.y] };
  }
}

export class PostgisEncoder extends CachedSql {
  protected build(layer: LayerSpec) {
    const rows = tileRowsSql(layer, (mercator) => `ST_AsMVTGeom(${mercator}, tile.envelope, ${EXTENT}, ${BUFFER}, true)`);
    const nameParam = `$${rows.filterParams.length + 4}::text`;
    return {
      sql: `SELECT ST_AsMVT(q, ${nameParam}, ${EXTENT}, 'geom') AS tile FROM (${rows.sql}) q WHERE q.geom IS NOT NULL`,
      filterParams: rows.filterParams,
    };
  }

  async encode(db: Queryable, layer: LayerSpec, tile: TileAddress): Promise<Uint8Array> {
    const { sql, params } = this.query(layer, tile);
    const [row] = await db.query<{ tile: Uint8Array }>(sql, [...params, layer.id]);
    return row?.tile ?? new Uint8Array();
  }
}

type GeoJsonGeometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint' | 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString' | 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export class NodeEncoder extends CachedSql {
  protected build(layer: LayerSpec) {
    const rows = tileRowsSql(layer, (mercator) => mvtGeometrySql(layer, mercator));
    return {
      sql:
        `SELECT json_agg(json_build_array(ST_AsGeoJSON(q.geom)::json, ${nodePropertiesSql(layer)}))::text AS rows ` +
        `FROM (${rows.sql}) q WHERE q.geom IS NOT NULL AND NOT ST_IsEmpty(q.geom)`,
      filterParams: rows.filterParams,
    };
  }

  async encode(db: Queryable, layer: LayerSpec, tile: TileAddress): Promise<Uint8Array> {
    const { sql, params } = this.query(layer, tile);
    const [row] = await db.query<{ rows: string | null }>(sql, params);
    if (!row?.rows) return new Uint8Array();
    const features = (JSON.parse(row.rows) as [GeoJsonGeometry, Record<string, unknown>][]).map(([geometry, properties]) =>
      toTileFeature(geometry, properties),
    );
    return fromVectorTileJs({
      layers: {
        [layer.id]: { version: 2, name: layer.id, extent: EXTENT, length: features.length, feature: (i: number) => features[i]! },
      },
    });
  }
}

// ST_AsMVTGeom's steps (PostGIS 3.3+) for PGlite: scale to tile units, snap to the
// integer grid, drop points on straight lines, then clip to the buffered tile — polygons
// made valid around the clip. Nothing is dropped for being small: a tiny zone stays a
// one-unit square, visible at every zoom, as PostGIS keeps it.
function mvtGeometrySql(layer: LayerSpec, mercator: string): string {
  const scale = `(${EXTENT} / tile.size)`;
  const snapped = `ST_SnapToGrid(ST_Affine(${mercator}, ${scale}, 0, 0, -${scale}, -tile.xmin * ${scale}, tile.ymax * ${scale}), 1)`;
  const simplified = `ST_Simplify(${snapped}, 0, false)`;
  const box = `ST_MakeEnvelope(${-BUFFER}, ${-BUFFER}, ${EXTENT + BUFFER}, ${EXTENT + BUFFER})`;
  if (geometryKind(layer) !== 'polygon') return `ST_SnapToGrid(ST_ClipByBox2D(${simplified}, ${box}), 1)`;
  const clipped = `ST_SnapToGrid(ST_ClipByBox2D(ST_MakeValid(${simplified}), ${box}), 1)`;
  // MVT exterior rings have a positive (surveyor's) area in tile coordinates.
  return `ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(${clipped}), 3))`;
}

// The row's property columns as one object, extra properties merged in as ST_AsMVT does.
function nodePropertiesSql(layer: LayerSpec): string {
  const columns = `(to_jsonb(q) - 'geom' - ${nameLiteral(EXTRA_PROPERTIES)})`;
  return layer.table.extraPropertiesColumn ? `(q.${ident(EXTRA_PROPERTIES)} || ${columns})` : columns;
}

const geometryKind = (layer: LayerSpec): 'point' | 'line' | 'polygon' =>
  layer.geometryType === 'Point' ? 'point' : layer.geometryType.endsWith('Polygon') ? 'polygon' : 'line';

// ST_AsMVT keeps strings, numbers and booleans and drops nulls and nested values.
function toTileFeature(geometry: GeoJsonGeometry, properties: Record<string, unknown>): VectorTileFeatureLike {
  const kept: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') kept[key] = value;
  }
  const [type, parts] = tileParts(geometry);
  const points = (line: number[][]) => line.map(([x, y]) => new Point(x!, y!));
  return { type, properties: kept, id: undefined, extent: EXTENT, loadGeometry: () => parts.map(points) };
}

// MVT geometry: type 1 = points (one part), 2 = lines, 3 = rings (outer or hole by winding).
function tileParts(geometry: GeoJsonGeometry): [1 | 2 | 3, number[][][]] {
  switch (geometry.type) {
    case 'Point':
      return [1, [[geometry.coordinates]]];
    case 'MultiPoint':
      return [1, [geometry.coordinates]];
    case 'LineString':
      return [2, [geometry.coordinates]];
    case 'MultiLineString':
      return [2, geometry.coordinates];
    case 'Polygon':
      return [3, geometry.coordinates];
    case 'MultiPolygon':
      return [3, geometry.coordinates.flat()];
  }
}
