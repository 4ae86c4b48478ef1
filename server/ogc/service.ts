// Items pages for OGC API – Features. Like layer bodies, pages are prepared once (ETag,
// gzip) and kept per table revision; numberMatched is counted once per filter and
// revision (and, without filters, read from the layer summaries).
import type { Database } from '../db/adapter.ts';
import { RevisionedBodies, type RevisionedBody } from '../http/cached-body.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { RevisionStore } from '../layers/revisions.ts';
import type { LayerService } from '../layers/service.ts';
import type { Audience } from '../layers/tables.ts';
import type { Crs } from './crs.ts';
import { GEOJSON, type Link } from './documents.ts';
import type { ItemsQuery } from './params.ts';
import { itemSql, itemsSql, type ItemsSql } from './queries.ts';

const MAX_COUNTS = 5000;

export class OgcService {
  private readonly pages = new RevisionedBodies({ maxEntries: 2000 });
  private readonly counts = new Map<string, { revision: string; matched: number }>();

  constructor(
    private readonly db: Database,
    private readonly revisions: RevisionStore,
    private readonly layerService: LayerService,
  ) {}

  get layers(): readonly LayerSpec[] {
    return this.layerService.layers;
  }

  summaries() {
    return this.layerService.summaries();
  }

  /** A FeatureCollection page for the audience; `links` makes its links once the counts are known. */
  items(layer: LayerSpec, query: ItemsQuery, audience: Audience, key: string, links: (matched: number, returned: number) => Link[]): Promise<RevisionedBody> {
    const revision = this.revisionOf(layer);
    return this.pages.get(`${audience}|${layer.id}|${key}`, revision, GEOJSON, async () => {
      const sql = itemsSql(layer, query, audience);
      const [page] = await this.db.query<{ returned: number; features: string }>(sql.page, sql.pageParams);
      const matched = await this.matched(layer, query, sql, revision);
      return (
        `{"type":"FeatureCollection","numberMatched":${matched},"numberReturned":${page!.returned},` +
        `"timeStamp":"${new Date().toISOString()}","links":${JSON.stringify(links(matched, page!.returned))},` +
        `"features":${page!.features}}`
      );
    });
  }

  /** One feature as GeoJSON text, or undefined. */
  async item(layer: LayerSpec, id: string, crs: Crs, audience: Audience): Promise<string | undefined> {
    const { sql, params } = itemSql(layer, crs, audience);
    const [row] = await this.db.query<{ body: string }>(sql, [...params, id]);
    return row?.body;
  }

  private async matched(layer: LayerSpec, query: ItemsQuery, sql: ItemsSql, revision: string): Promise<number> {
    if (!query.bbox && !query.datetime && !query.filters.length) {
      return (await this.layerService.summaries()).get(layer.id)?.featureCount ?? 0;
    }
    const key = `${layer.id}|${JSON.stringify(sql.params)}`;
    const known = this.counts.get(key);
    if (known?.revision === revision) return known.matched;
    const [row] = await this.db.query<{ matched: number }>(sql.count, sql.params);
    // A plain bound is enough: counts are small and rebuilt on demand.
    if (this.counts.size >= MAX_COUNTS) this.counts.clear();
    this.counts.set(key, { revision, matched: row!.matched });
    return row!.matched;
  }

  private revisionOf(layer: LayerSpec): string {
    return String(this.revisions.get(layer.table.name));
  }
}
