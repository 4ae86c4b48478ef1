// Reads layers for the HTTP API. Bodies are prepared once (GeoJSON built in PostGIS,
// ETag, gzip) and reused while their table's revision is unchanged; revisions come
// from memory (RevisionStore), so a cache hit costs no database round trip.
import type { Database } from '../db/adapter.ts';
import type { Bbox } from '../http/validate.ts';
import { RevisionedBodies, type RevisionedBody } from '../http/cached-body.ts';
import { layers as allLayers, type LayerSpec } from './registry.ts';
import { buildLayerQueries, layerSummariesSql, type LayerQueries } from './queries.ts';
import type { RevisionStore } from './revisions.ts';
import { asOfCollectionSql } from '../features/queries.ts';
import type { Audience } from './tables.ts';

export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';

type Entry = RevisionedBody;

export type LayerSummary = {
  featureCount: number;
  bbox: [number, number, number, number] | null;
  /** First and last value of the layer's temporalField. */
  dates: [string, string] | null;
};

export class LayerService {
  private readonly cache = new RevisionedBodies();
  private readonly queries = new Map<string, LayerQueries>();
  private readonly summary = new Map<string, { revision: number; summary: LayerSummary }>();

  constructor(
    private readonly db: Database,
    private readonly revisions: RevisionStore,
    readonly layers: readonly LayerSpec[] = allLayers,
  ) {}

  /**
   * Feature count, extent and date range of every layer. Each is kept per revision of its
   * own table: an edit to a zone re-reads the zone layers, not a million parcels.
   */
  async summaries(): Promise<Map<string, LayerSummary>> {
    // Revisions are read before the data, as for bodies.
    const revisionOf = (layer: LayerSpec) => this.revisions.get(layer.table.name);
    const stale = this.layers.filter((l) => this.summary.get(l.id)?.revision !== revisionOf(l));
    if (stale.length) {
      const revisions = new Map(stale.map((l) => [l.id, revisionOf(l)]));
      for (const [id, summary] of await this.readSummaries(stale)) {
        this.summary.set(id, { revision: revisions.get(id)!, summary });
      }
    }
    return new Map(this.layers.map((l) => [l.id, this.summary.get(l.id)!.summary]));
  }

  /** A JSON document about all layers (built by `describe` from their summaries), cached per database revision. */
  catalogue(audience: Audience, describe: (summaries: Map<string, LayerSummary>) => unknown): Promise<Entry> {
    return this.cache.get(`layers|${audience}`, this.revisions.signature(), JSON_TYPE, async () =>
      JSON.stringify(describe(await this.summaries())),
    );
  }

  private async readSummaries(layers: readonly LayerSpec[]): Promise<Map<string, LayerSummary>> {
    const { sql, params } = layerSummariesSql(layers);
    const rows = await this.db.query<{
      layer: string;
      feature_count: number;
      min_lon: number | null;
      min_lat: number | null;
      max_lon: number | null;
      max_lat: number | null;
      first_date: string | null;
      last_date: string | null;
    }>(sql, params);
    return new Map(
      rows.map((r) => [
        r.layer,
        {
          featureCount: r.feature_count,
          bbox: r.min_lon === null ? null : [r.min_lon, r.min_lat!, r.max_lon!, r.max_lat!],
          dates: r.first_date === null ? null : [r.first_date, r.last_date!],
        },
      ]),
    );
  }

  collection(layer: LayerSpec, audience: Audience, options: { bbox?: Bbox; fields?: string[] } = {}): Promise<Entry> {
    const q = this.queriesFor(layer, audience, options.fields);
    const key = `c|${audience}|${layer.id}|${options.fields?.join(',') ?? '*'}|${options.bbox?.join(',') ?? ''}`;
    const [sql, params] = options.bbox
      ? [q.collectionInBbox, [...q.filterParams, ...options.bbox]]
      : [q.collection, q.filterParams];
    return this.cache.get(key, this.revisionOf(layer), GEOJSON, () => this.body(sql, params));
  }

  /** The layer as it was at a moment, replayed from feature_history (thematic layers). */
  collectionAsOf(layer: LayerSpec, audience: Audience, asOf: Date): Promise<Entry> {
    const { sql, params } = asOfCollectionSql(layer, audience);
    const at = asOf.toISOString();
    // History only grows with the table's own writes: its revision keys this body too.
    return this.cache.get(`asof|${audience}|${layer.id}|${at}`, this.revisionOf(layer), GEOJSON, () => this.body(sql, [at, ...params.slice(1)]));
  }

  async feature(layer: LayerSpec, audience: Audience, id: string): Promise<Entry | undefined> {
    const q = this.queriesFor(layer, audience);
    const entry = await this.cache.get(`f|${audience}|${layer.id}|${id}`, this.revisionOf(layer), GEOJSON, () =>
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
}
