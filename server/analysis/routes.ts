// Site analysis: proximity of a feature, features within a distance, and a point in
// VN-2000. Everything is computed by PostGIS on the ellipsoid.
import type { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/adapter.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { parseQuery } from '../http/validate.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { BUFFER_SQL, originSql, POINT_SQL, proximitySql, withinSql } from './queries.ts';

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

type Origin = { geojson: string; label: { layer: string | null; id: string | null; name_vi: string | null; name_en: string | null } };

export function addAnalysisRoutes(router: Router, db: Database, layers: readonly LayerSpec[]): void {
  const layer = (layerId: string, role: string) => {
    const found = layers.find((l) => l.id === layerId);
    if (!found) throw notFound(`Unknown layer '${layerId}' (${role}).`, 'layer_not_found');
    return found;
  };
  const gates = layer('border_gates', 'gates');
  const expressways = layer('expressways', 'expressways');
  const zoneLayers = layers.filter((l) => l.table.name === 'zones');

  const featureOrigin = async (spec: LayerSpec, featureId: string): Promise<Origin> => {
    const q = originSql(spec, true);
    const [row] = await db.query<{ geojson: string; name_vi: string; name_en: string | null }>(q.sql, [featureId, ...q.params]);
    if (!row) throw notFound(`Layer '${spec.id}' has no feature '${featureId}'.`, 'feature_not_found');
    return { geojson: row.geojson, label: { layer: spec.id, id: featureId, name_vi: row.name_vi, name_en: row.name_en } };
  };

  // `from` is "layer/id" (one feature), "layer" (the nearest of its features) or "lon,lat".
  const resolveOrigin = async (from: string): Promise<Origin> => {
    const coordinates = from.split(',');
    if (coordinates.length === 2) {
      const point = pointQuery.safeParse({ lon: coordinates[0], lat: coordinates[1] });
      if (!point.success) throw badRequest(`'from' as lon,lat: ${point.error.issues[0]!.message}.`);
      return { geojson: JSON.stringify({ type: 'Point', coordinates: [point.data.lon, point.data.lat] }), label: { layer: null, id: null, name_vi: null, name_en: null } };
    }
    const [layerId, featureId, ...rest] = from.split('/');
    if (rest.length || !layerId) throw badRequest(`'from' must be layer/id, a layer, or lon,lat; got '${from}'.`);
    const spec = layer(layerId, 'from');
    if (featureId !== undefined) return featureOrigin(spec, id.parse(featureId));
    const q = originSql(spec, false);
    const [row] = await db.query<{ geojson: string | null }>(q.sql, q.params);
    if (!row?.geojson) throw notFound(`Layer '${spec.id}' has no features.`, 'feature_not_found');
    return { geojson: row.geojson, label: { layer: spec.id, id: null, name_vi: null, name_en: null } };
  };

  router.get('/analysis/proximity', async (req, res) => {
    const query = parseQuery(proximityQuery, req);
    const origin = await featureOrigin(layer(query.layer, 'layer'), query.id);
    const q = proximitySql(gates, expressways);
    const [row] = await db.query(q.sql, [origin.geojson, ...q.params.slice(1)]);
    res.json({ feature: origin.label, method: DISTANCE_NOTE, ...row });
  });

  router.get('/analysis/within', async (req, res) => {
    const query = parseQuery(withinQuery, req);
    const targets = query.layers ? query.layers.split(',').map((l) => layer(l.trim(), 'layers')) : zoneLayers;
    const origin = await resolveOrigin(query.from);
    const radius = query.radius_km * 1000;
    const q = withinSql(targets);
    const features = await db.query(q.sql, [origin.geojson, radius, ...q.params.slice(2)]);
    const [buffer] = await db.query<{ geojson: string }>(BUFFER_SQL, [origin.geojson, radius]);
    res.json({
      from: origin.label,
      radius_km: query.radius_km,
      method: DISTANCE_NOTE,
      features,
      buffer: { type: 'Feature', properties: { radius_km: query.radius_km }, geometry: JSON.parse(buffer!.geojson) },
    });
  });

  router.get('/analysis/point', async (req, res) => {
    const query = parseQuery(vn2000PointQuery, req);
    const [row] = await db.query<Record<string, number | string | null>>(POINT_SQL, [query.lon, query.lat]);
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
