// Reads layers for the HTTP API. Bodies are cached per table revision: a revision
// query (a primary-key lookup) decides whether a cached body is still current.
import type { Database } from '../db/adapter.ts';
import type { Bbox } from '../http/validate.ts';
import { BodyCache, prepareBody, type CachedBody } from '../http/cached-body.ts';
import { layers as allLayers, type LayerSpec } from './registry.ts';
import {
  allRevisionsSql,
  buildLayerQueries,
  layerSummariesSql,
  tableRevisionSql,
  type LayerQueries,
} from './queries.ts';
import type { Audience } from './tables.ts';

export const GEOJSON = 'application/geo+json';

type Entry = CachedBody & { revision: number };

export type LayerCounts = { featureCount: number; bbox: [number, number, number, number] | null };

export class LayerService {
  private readonly cache = new BodyCache<Entry>();
  private readonly queries = new Map<string, LayerQueries>();
  private summaries: { key: string; value: Map<string, LayerCounts> } | undefined;

  constructor(
    private readonly db: Database,
    readonly layers: readonly LayerSpec[] = allLayers,
  ) {}

  /** Feature count and extent per layer id. */
  async counts(): Promise<Map<string, LayerCounts>> {
    const revisions = await this.db.query<{ table_name: string; revision: number }>(allRevisionsSql);
    const key = revisions
      .map((r) => `${r.table_name}:${r.revision}`)
      .sort()
      .join(',');
    if (this.summaries?.key === key) return this.summaries.value;
    const { sql, params } = layerSummariesSql(this.layers);
    const rows = await this.db.query<{
      layer: string;
      feature_count: number;
      min_lon: number | null;
      min_lat: number | null;
      max_lon: number | null;
      max_lat: number | null;
    }>(sql, params);
    const value = new Map<string, LayerCounts>(
      rows.map((r) => [
        r.layer,
        {
          featureCount: r.feature_count,
          bbox: r.min_lon === null ? null : [r.min_lon, r.min_lat!, r.max_lon!, r.max_lat!],
        },
      ]),
    );
    this.summaries = { key, value };
    return value;
  }

  collection(layer: LayerSpec, audience: Audience, options: { bbox?: Bbox; fields?: string[] } = {}): Promise<Entry> {
    const q = this.queriesFor(layer, audience, options.fields);
    const key = `c|${audience}|${layer.id}|${options.fields?.join(',') ?? '*'}|${options.bbox?.join(',') ?? ''}`;
    return options.bbox
      ? this.cached(layer, key, q.collectionInBbox, [...q.filterParams, ...options.bbox])
      : this.cached(layer, key, q.collection, q.filterParams);
  }

  async feature(layer: LayerSpec, audience: Audience, id: string): Promise<Entry | undefined> {
    const q = this.queriesFor(layer, audience);
    const entry = await this.cached(layer, `f|${audience}|${layer.id}|${id}`, q.feature, [...q.filterParams, id]);
    return entry.body.length ? entry : undefined;
  }

  private queriesFor(layer: LayerSpec, audience: Audience, fields?: string[]): LayerQueries {
    const key = `${audience}|${layer.id}|${fields?.join(',') ?? '*'}`;
    let q = this.queries.get(key);
    if (!q) {
      q = buildLayerQueries(layer, audience, fields);
      this.queries.set(key, q);
    }
    return q;
  }

  private async cached(layer: LayerSpec, key: string, sql: string, params: unknown[]): Promise<Entry> {
    const revision = await this.revision(layer);
    const hit = this.cache.get(key);
    if (hit && hit.revision === revision) return hit;
    // Revision first, then data: data newer than the revision only costs a refresh.
    const rows = await this.db.query<{ body: string }>(sql, params);
    const text = rows[0]?.body ?? '';
    const entry: Entry = { ...prepareBody(text, GEOJSON), revision };
    this.cache.set(key, entry);
    return entry;
  }

  private async revision(layer: LayerSpec): Promise<number> {
    const rows = await this.db.query<{ revision: number }>(tableRevisionSql, [layer.table.name]);
    return rows[0]?.revision ?? 0;
  }
}
