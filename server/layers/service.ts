// Reads layers for the HTTP API. Bodies are prepared once (GeoJSON built in PostGIS,
// ETag, gzip) and reused while their table's revision is unchanged; revisions come
// from memory (RevisionStore), so a cache hit costs no database round trip. A layer too
// large to hold (land parcels) is streamed in keyset pages instead, never cached.
import type { Database } from '../db/adapter.ts';
import { firstPageRead, keysetPages } from '../db/keyset.ts';
import type { Bbox } from '../http/validate.ts';
import { RevisionedBodies, type RevisionedBody } from '../http/cached-body.ts';
import { revisionEtag, type StreamedBody } from '../http/streamed-body.ts';
import { layers as allLayers, type LayerSpec } from './registry.ts';
import { buildLayerQueries, layerSummariesSql, type LayerQueries } from './queries.ts';
import type { RevisionStore } from './revisions.ts';
import { asOfCollectionSql } from '../features/queries.ts';
import type { Audience } from './tables.ts';

export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';

type Entry = RevisionedBody;

/** A layer's FeatureCollection: prepared and cached, or streamed. */
export type CollectionBody = { cached: RevisionedBody } | { streamed: StreamedBody };

// Collections of more features than this are streamed. Built as one body (PostgreSQL,
// measured), 50k parcels are 21.7 MB and hold the event loop up to 30 ms (the driver
// reading one huge value, decoding, copying); 100k: 43 MB, 99 ms; 200k: 86 MB, 303 ms,
// and such bodies would fill the 128 MB cache alone. 1M parcels are 427 MB.
export const STREAM_ABOVE_FEATURES = 50_000;
// Features per page of a streamed collection: each is one text (~430 bytes for a parcel),
// not parsed objects as in exports, so a page of 2000 stays under a megabyte.
export const STREAM_PAGE_ROWS = 2000;

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
  // Summary reads under way: requests arriving together after a write (tiles, collections)
  // share one read rather than each counting a million parcels.
  private readonly readingSummaries = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly revisions: RevisionStore,
    readonly layers: readonly LayerSpec[] = allLayers,
    private readonly streamAboveFeatures = STREAM_ABOVE_FEATURES,
  ) {}

  /**
   * Feature count, extent and date range of every layer. Each is kept per revision of its
   * own table: an edit to a zone re-reads the zone layers, not a million parcels.
   */
  async summaries(): Promise<Map<string, LayerSummary>> {
    await this.refreshSummaries(this.layers);
    return new Map(this.layers.map((l) => [l.id, this.summary.get(l.id)!.summary]));
  }

  private async refreshSummaries(layers: readonly LayerSpec[]): Promise<void> {
    // Revisions are read before the data, as for bodies.
    const revisionOf = (layer: LayerSpec) => this.revisions.get(layer.table.name);
    const stale = layers.filter((l) => this.summary.get(l.id)?.revision !== revisionOf(l));
    if (!stale.length) return;
    const flight = stale.map((l) => `${l.id}:${revisionOf(l)}`).join('|');
    let pending = this.readingSummaries.get(flight);
    if (!pending) {
      const revisions = new Map(stale.map((l) => [l.id, revisionOf(l)]));
      pending = this.readSummaries(stale)
        .then((read) => {
          for (const [id, summary] of read) this.summary.set(id, { revision: revisions.get(id)!, summary });
        })
        .finally(() => this.readingSummaries.delete(flight));
      this.readingSummaries.set(flight, pending);
    }
    await pending;
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

  async collection(layer: LayerSpec, audience: Audience, options: { bbox?: Bbox; fields?: string[] } = {}): Promise<CollectionBody> {
    const q = this.queriesFor(layer, audience, options.fields);
    const key = `c|${audience}|${layer.id}|${options.fields?.join(',') ?? '*'}|${options.bbox?.join(',') ?? ''}`;
    const revision = this.revisionOf(layer);
    const hit = this.cache.peek(key, revision);
    if (hit) return { cached: hit };
    const params = options.bbox ? [...q.filterParams, ...options.bbox] : q.filterParams;
    if (await this.tooLargeToHold(layer, q, options.bbox)) {
      const features = { sql: options.bbox ? q.featuresInBbox : q.features, params };
      return {
        streamed: {
          etag: revisionEtag(key, revision),
          contentType: GEOJSON,
          open: async (signal) => featureCollection(await firstPageRead(keysetPages<{ id: string; feature: string }>(this.db, features, { pageRows: STREAM_PAGE_ROWS, signal }))),
        },
      };
    }
    const sql = options.bbox ? q.collectionInBbox : q.collection;
    return { cached: await this.cache.get(key, revision, GEOJSON, () => this.body(sql, params)) };
  }

  /** Whether the collection has more features than are held as one body. */
  private async tooLargeToHold(layer: LayerSpec, q: LayerQueries, bbox: Bbox | undefined): Promise<boolean> {
    await this.refreshSummaries([layer]);
    if (this.summary.get(layer.id)!.summary.featureCount <= this.streamAboveFeatures) return false;
    if (!bbox) return true;
    const [row] = await this.db.query<{ n: number }>(q.countInBbox, [...q.filterParams, ...bbox, this.streamAboveFeatures + 1]);
    return row!.n > this.streamAboveFeatures;
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

/**
 * The pages' features as one FeatureCollection, framed as PostgreSQL's json_agg frames
 * them: the same bytes as the prepared body of the same features.
 */
async function* featureCollection(pages: AsyncIterable<{ feature: string }[]>): AsyncGenerator<string> {
  yield '{"type" : "FeatureCollection", "features" : [';
  let separator = '';
  for await (const rows of pages) {
    yield separator + rows.map((r) => r.feature).join(', ');
    separator = ', ';
  }
  yield ']}';
}
