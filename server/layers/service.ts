// Reads layers for the HTTP API. Bodies are prepared once (GeoJSON built in PostGIS,
// ETag, gzip) and reused while their table's revision is unchanged; revisions come
// from memory (RevisionStore), so a cache hit costs no database round trip.
import type { Database } from '../db/adapter.ts';
import type { Bbox } from '../http/validate.ts';
import { BodyCache, prepareBody, type CachedBody } from '../http/cached-body.ts';
import { layers as allLayers, type LayerSpec } from './registry.ts';
import { buildLayerQueries, layerSummariesSql, type LayerQueries } from './queries.ts';
import type { RevisionStore } from './revisions.ts';
import { asOfCollectionSql } from '../features/queries.ts';
import type { Audience } from './tables.ts';

export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';

type Entry = CachedBody & { revision: string };

export type LayerCounts = { featureCount: number; bbox: [number, number, number, number] | null };

export class LayerService {
  private readonly cache = new BodyCache<Entry>();
  private readonly queries = new Map<string, LayerQueries>();

  constructor(
    private readonly db: Database,
    private readonly revisions: RevisionStore,
    readonly layers: readonly LayerSpec[] = allLayers,
  ) {}

  /** A JSON document about all layers (built by `describe` from their counts), cached per database revision. */
  catalogue(audience: Audience, describe: (counts: Map<string, LayerCounts>) => unknown): Promise<Entry> {
    return this.cached(`layers|${audience}`, this.revisions.signature(), JSON_TYPE, async () => {
      const { sql, params } = layerSummariesSql(this.layers);
      const rows = await this.db.query<{
        layer: string;
        feature_count: number;
        min_lon: number | null;
        min_lat: number | null;
        max_lon: number | null;
        max_lat: number | null;
      }>(sql, params);
      const counts = new Map<string, LayerCounts>(
        rows.map((r) => [
          r.layer,
          {
            featureCount: r.feature_count,
            bbox: r.min_lon === null ? null : [r.min_lon, r.min_lat!, r.max_lon!, r.max_lat!],
          },
        ]),
      );
      return JSON.stringify(describe(counts));
    });
  }

  collection(layer: LayerSpec, audience: Audience, options: { bbox?: Bbox; fields?: string[] } = {}): Promise<Entry> {
    const q = this.queriesFor(layer, audience, options.fields);
    const key = `c|${audience}|${layer.id}|${options.fields?.join(',') ?? '*'}|${options.bbox?.join(',') ?? ''}`;
    const [sql, params] = options.bbox
      ? [q.collectionInBbox, [...q.filterParams, ...options.bbox]]
      : [q.collection, q.filterParams];
    return this.cached(key, this.revisionOf(layer), GEOJSON, () => this.body(sql, params));
  }

  /** The layer as it was at a moment, replayed from feature_history (thematic layers). */
  collectionAsOf(layer: LayerSpec, audience: Audience, asOf: Date): Promise<Entry> {
    const { sql, params } = asOfCollectionSql(layer, audience);
    const at = asOf.toISOString();
    // History only grows with the table's own writes: its revision keys this body too.
    return this.cached(`asof|${audience}|${layer.id}|${at}`, this.revisionOf(layer), GEOJSON, () => this.body(sql, [at, ...params.slice(1)]));
  }

  async feature(layer: LayerSpec, audience: Audience, id: string): Promise<Entry | undefined> {
    const q = this.queriesFor(layer, audience);
    const entry = await this.cached(`f|${audience}|${layer.id}|${id}`, this.revisionOf(layer), GEOJSON, () =>
      this.body(q.feature, [...q.filterParams, id]),
    );
    return entry.body.length ? entry : undefined;
  }

  private revisionOf(layer: LayerSpec): string {
    return String(this.revisions.get(layer.table.name));
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

  private async body(sql: string, params: unknown[]): Promise<string> {
    const rows = await this.db.query<{ body: string }>(sql, params);
    return rows[0]?.body ?? '';
  }

  // The revision is read before the data: data newer than its key only costs a refresh.
  private async cached(key: string, revision: string, type: string, build: () => Promise<string>): Promise<Entry> {
    const hit = this.cache.get(key);
    if (hit && hit.revision === revision) return hit;
    const entry: Entry = { ...prepareBody(await build(), type), revision };
    this.cache.set(key, entry);
    return entry;
  }
}
