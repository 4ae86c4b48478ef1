// Site analysis: proximity of a feature, features within a distance, and a point in
// VN-2000. Everything is computed by PostGIS on the ellipsoid. What an analysis may read
// is bounded (budget.ts); the larger ones run as heavy work, one class for all analyses.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/adapter.ts';
import { BodyCache } from '../http/cached-body.ts';
import { clientGone } from '../http/client-gone.ts';
import { badRequest, notFound } from '../http/errors.ts';
import type { HeavyWork } from '../http/heavy-work.ts';
import { parseQuery } from '../http/validate.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { RevisionStore } from '../layers/revisions.ts';
import { ANALYSIS_BUDGET, checkOriginFeature, checkOriginLayer, checkTargets, LayerSizes } from './budget.ts';
import { bufferSql, featureSql, POINT_SQL, proximitySql, withinSql, type WithinOrigin } from './queries.ts';

export const MAX_RADIUS_KM = 500;
const DISTANCE_NOTE = 'straight-line geodesic distance (WGS 84 ellipsoid), from the boundary of areas';

const id = z.string().regex(/^[a-z0-9_-]{1,80}$/, 'is not a valid id');

const proximityQuery = z.object({ layer: z.string({ error: 'is required' }), id });

const withinQuery = z.object({
  from: z.string({ error: 'is required: layer/id, a layer, or lon,lat' }),
  radius_km: z.coerce
    .number({ error: 'must be a number' })
    .gt(0, 'must be more than 0 km')
    .max(MAX_RADIUS_KM, `must be at most ${MAX_RADIUS_KM} km`),
  layers: z.string().optional(),
});

const lon = z.coerce.number({ error: 'must be a number' }).min(-180).max(180);
const lat = z.coerce.number({ error: 'must be a number' }).min(-90).max(90);
const pointQuery = z.object({ lon, lat });
// VN-2000 is defined over Vietnam (EPSG area of use: 102.14–109.53°E, 8.33–23.4°N); far
// from its meridians PROJ refuses to project ("outside of projection domain"). A margin
// keeps neighbouring border areas.
const VN2000_AREA = { west: 100, east: 112, south: 6, north: 26 };
const vn2000PointQuery = pointQuery.refine(
  (p) => p.lon >= VN2000_AREA.west && p.lon <= VN2000_AREA.east && p.lat >= VN2000_AREA.south && p.lat <= VN2000_AREA.north,
  `The point must lie in or near Vietnam (longitude ${VN2000_AREA.west}–${VN2000_AREA.east}, latitude ${VN2000_AREA.south}–${VN2000_AREA.north}), where VN-2000 is defined`,
);

type Label = { layer: string | null; id: string | null; name_vi: string | null; name_en: string | null };
type ResolvedOrigin = { origin: WithinOrigin; label: Label; heavy: boolean };

// The buffer is drawn from the origin simplified by this share of the radius: its edge
// is within about 1 % of the radius, invisible at any zoom showing the whole buffer.
const BUFFER_TOLERANCE = 0.01;
const METRES_PER_DEGREE = 111_320;
// Buffers of features and layers, per table revision and radius: a few hundred vertices each.
const BUFFER_CACHE_ENTRIES = 200;
const BUFFER_CACHE_BYTES = 16 * 1024 * 1024;

export function addAnalysisRoutes(router: Router, db: Database, revisions: RevisionStore, layers: readonly LayerSpec[], heavy: HeavyWork): void {
  const layer = (layerId: string, role: string) => {
    const found = layers.find((l) => l.id === layerId);
    if (!found) throw notFound(`Unknown layer '${layerId}' (${role}).`, 'layer_not_found');
    return found;
  };
  const gates = layer('border_gates', 'gates');
  const expressways = layer('expressways', 'expressways');
  const zoneLayers = layers.filter((l) => l.table.name === 'zones');
  const sizes = new LayerSizes(db, revisions);
  const buffers = new BodyCache<{ body: Buffer; gzip: null }>(BUFFER_CACHE_ENTRIES, BUFFER_CACHE_BYTES);

  // Heavy analyses wait their turn and count against the caller's rate; light ones run at once.
  const run = <T>(req: Request, res: Response, isHeavy: boolean, work: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    isHeavy ? heavy.run(req, res, work) : work(clientGone(res));

  const feature = async (spec: LayerSpec, featureId: string, withGeometry: boolean, signal: AbortSignal) => {
    const q = featureSql(spec, featureId, withGeometry);
    const [row] = await db.query<{ name_vi: string | null; name_en: string | null; vertices: number; geojson?: string }>(q.sql, q.params, { signal });
    if (!row) throw notFound(`Layer '${spec.id}' has no feature '${featureId}'.`, 'feature_not_found');
    return row;
  };

  // `from` is "layer/id" (one feature), "layer" (the nearest of its features) or "lon,lat".
  const resolveOrigin = async (from: string, signal: AbortSignal): Promise<ResolvedOrigin> => {
    const coordinates = from.split(',');
    if (coordinates.length === 2) {
      const point = pointQuery.safeParse({ lon: coordinates[0], lat: coordinates[1] });
      if (!point.success) throw badRequest(`'from' as lon,lat: ${point.error.issues[0]!.message}.`);
      return { origin: { kind: 'point', ...point.data }, label: { layer: null, id: null, name_vi: null, name_en: null }, heavy: false };
    }
    const [layerId, featureId, ...rest] = from.split('/');
    if (rest.length || !layerId) throw badRequest(`'from' must be layer/id, a layer, or lon,lat; got '${from}'.`);
    const spec = layer(layerId, 'from');
    if (featureId !== undefined) {
      if (!id.safeParse(featureId).success) throw badRequest(`'from': '${featureId}' is not a valid feature id.`);
      const row = await feature(spec, featureId, false, signal);
      checkOriginFeature(spec, featureId, row.vertices);
      return {
        origin: { kind: 'feature', layer: spec, id: featureId },
        label: { layer: spec.id, id: featureId, name_vi: row.name_vi, name_en: row.name_en },
        heavy: row.vertices > ANALYSIS_BUDGET.lightVertices,
      };
    }
    const size = await sizes.get(spec, signal);
    if (!size.features) throw notFound(`Layer '${spec.id}' has no features.`, 'feature_not_found');
    checkOriginLayer(spec, size);
    return { origin: { kind: 'layer', layer: spec }, label: { layer: spec.id, id: null, name_vi: null, name_en: null }, heavy: true };
  };

  /** The buffer's GeoJSON geometry; a feature's or a layer's is kept per table revision. */
  const bufferOf = async (origin: WithinOrigin, radius: number, signal: AbortSignal): Promise<string> => {
    const key = origin.kind === 'point' ? null : `${origin.layer.id}/${origin.kind === 'feature' ? origin.id : ''}@${revisions.get(origin.layer.table.name)}:${radius}`;
    const hit = key ? buffers.get(key) : undefined;
    if (hit) return hit.body.toString();
    const q = bufferSql(origin, radius, (radius * BUFFER_TOLERANCE) / METRES_PER_DEGREE);
    const [row] = await db.query<{ geojson: string }>(q.sql, q.params, { signal });
    if (key) buffers.set(key, { body: Buffer.from(row!.geojson), gzip: null });
    return row!.geojson;
  };

  router.get('/analysis/proximity', async (req, res) => {
    const query = parseQuery(proximityQuery, req);
    const spec = layer(query.layer, 'layer');
    const origin = await feature(spec, query.id, true, clientGone(res));
    const q = proximitySql(gates, expressways);
    const row = await run(req, res, origin.vertices > ANALYSIS_BUDGET.lightVertices, async (signal) => {
      const [found] = await db.query(q.sql, [origin.geojson, ...q.params.slice(1)], { signal });
      return found;
    });
    res.json({ feature: { layer: spec.id, id: query.id, name_vi: origin.name_vi, name_en: origin.name_en }, method: DISTANCE_NOTE, ...row });
  });

  router.get('/analysis/within', async (req, res) => {
    const query = parseQuery(withinQuery, req);
    const signal = clientGone(res);
    const targets = query.layers ? [...new Set(query.layers.split(',').map((l) => l.trim()))].map((l) => layer(l, 'layers')) : zoneLayers;
    const searched = checkTargets(targets, await Promise.all(targets.map((t) => sizes.get(t, signal))));
    const { origin, label, heavy: heavyOrigin } = await resolveOrigin(query.from, signal);
    const isHeavy = heavyOrigin || searched.vertices > ANALYSIS_BUDGET.lightVertices;
    const radius = query.radius_km * 1000;
    const { features, buffer } = await run(req, res, isHeavy, async (workSignal) => {
      const q = withinSql(origin, targets, radius);
      return { features: await db.query(q.sql, q.params, { signal: workSignal }), buffer: await bufferOf(origin, radius, workSignal) };
    });
    res.json({
      from: label,
      radius_km: query.radius_km,
      method: DISTANCE_NOTE,
      features,
      buffer: { type: 'Feature', properties: { radius_km: query.radius_km }, geometry: JSON.parse(buffer) },
    });
  });

  router.get('/analysis/point', async (req, res) => {
    const query = parseQuery(vn2000PointQuery, req);
    const [row] = await db.query<Record<string, number | string | null>>(POINT_SQL, [query.lon, query.lat], { signal: clientGone(res) });
    res.json({
      lon: query.lon,
      lat: query.lat,
      commune: row!.commune,
      vn2000: {
        tm3_lang_son: { x_northing: row!.tm3_northing, y_easting: row!.tm3_easting, central_meridian: '107°15′', scale: 0.9999 },
        utm48n: { x_northing: row!.utm_northing, y_easting: row!.utm_easting, epsg: 3405 },
      },
    });
  });
}
