// What one analysis may read, so that its cost is bounded whatever is asked. Its cost
// grows with the vertices it measures from and the features it measures to: measured
// on the seeded data (docs/RELIABILITY.md, "Heavy work"), a `within` from the 65
// communes as a whole (182 294 vertices) took 0.5–1.6 s at 500 km and 9–15 s at 5 km,
// from 100 000 land parcels it ran into the statement timeout; from a gate, an
// expressway or a zone it takes milliseconds.
import type { Database } from '../db/adapter.ts';
import { HttpError } from '../http/errors.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { RevisionStore } from '../layers/revisions.ts';
import { layerSizeSql } from './queries.ts';

export const ANALYSIS_BUDGET = {
  /** Features of a layer measured from as a whole (`from=<layer>`). */
  originFeatures: 1_000,
  /** Vertices measured from: the whole layer's, or the one feature's. */
  originVertices: 50_000,
  /** Features of the layers searched (`layers=`), and their vertices. */
  targetFeatures: 1_000,
  targetVertices: 100_000,
  /**
   * Above this many vertices measured from or to, or from a whole layer, an analysis is
   * heavy work (HeavyWork 'analysis'): a zone (≤ 200 vertices) takes milliseconds, the
   * province outline (29 307) 0.2–0.5 s.
   */
  lightVertices: 5_000,
};

export type LayerSize = { features: number; vertices: number };

const COUNT_CAP = Math.max(ANALYSIS_BUDGET.originFeatures, ANALYSIS_BUDGET.targetFeatures) + 1;

const n = (value: number) => value.toLocaleString('en');

/** Sizes of layers, read once per table revision. */
export class LayerSizes {
  private readonly known = new Map<string, { revision: number; size: LayerSize }>();

  constructor(
    private readonly db: Database,
    private readonly revisions: RevisionStore,
  ) {}

  async get(layer: LayerSpec, signal: AbortSignal): Promise<LayerSize> {
    // Read before the data: a size can only be filed under an older revision than its data.
    const revision = this.revisions.get(layer.table.name);
    const hit = this.known.get(layer.id);
    if (hit?.revision === revision) return hit.size;
    const q = layerSizeSql(layer, COUNT_CAP);
    const [size] = await this.db.query<LayerSize>(q.sql, q.params, { signal });
    this.known.set(layer.id, { revision, size: size! });
    return size!;
  }
}

/** Refuses a whole layer as an origin when it is too large to measure from. */
export function checkOriginLayer(layer: LayerSpec, size: LayerSize): void {
  const { originFeatures, originVertices } = ANALYSIS_BUDGET;
  if (size.features <= originFeatures && size.vertices <= originVertices) return;
  const counted = size.features > originFeatures ? `more than ${n(originFeatures)} features` : `${n(size.features)} features with ${n(size.vertices)} vertices`;
  throw new HttpError(
    400,
    'origin_too_large',
    `Layer '${layer.id}' is too large to measure from as a whole (${counted}; at most ${n(originFeatures)} features and ${n(originVertices)} vertices). ` +
      `Choose one feature (from=${layer.id}/<id>) or a point (from=lon,lat).`,
  );
}

/** Refuses one feature as an origin when it has too many vertices. */
export function checkOriginFeature(layer: LayerSpec, id: string, vertices: number): void {
  if (vertices <= ANALYSIS_BUDGET.originVertices) return;
  throw new HttpError(
    400,
    'origin_too_large',
    `Feature '${layer.id}/${id}' has ${n(vertices)} vertices, more than the ${n(ANALYSIS_BUDGET.originVertices)} an analysis measures from. Choose a point (from=lon,lat) or a smaller feature.`,
  );
}

/** Refuses target layers too large to search; returns their size. */
export function checkTargets(targets: readonly LayerSpec[], sizes: readonly LayerSize[]): LayerSize {
  const total = sizes.reduce((sum, s) => ({ features: sum.features + s.features, vertices: sum.vertices + s.vertices }), { features: 0, vertices: 0 });
  const { targetFeatures, targetVertices } = ANALYSIS_BUDGET;
  if (total.features <= targetFeatures && total.vertices <= targetVertices) return total;
  throw new HttpError(
    400,
    'too_many_targets',
    `The layers searched (${targets.map((t) => t.id).join(', ')}) are too large to search at once (at most ${n(targetFeatures)} features and ${n(targetVertices)} vertices). ` +
      'Choose fewer or smaller layers (layers=industrial_parks,industrial_clusters).',
  );
}
