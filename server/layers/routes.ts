// GET /api/layers, /api/layers/:id and /api/features/:layer/:id.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { badRequest, notFound } from '../http/errors.ts';
import { sendCached, type CachedBody } from '../http/cached-body.ts';
import { sendStreamed } from '../http/streamed-body.ts';
import { bboxParam, parseQuery } from '../http/validate.ts';
import type { LayerSpec } from './registry.ts';
import type { LayerService } from './service.ts';
import { fieldsFor, type Audience } from './tables.ts';
import { vocabularies } from './vocabulary.ts';
import { tileJsonPath } from '../tiles/paths.ts';


// A calendar date means the end of that day in Vietnam (UTC+7, no daylight saving);
// a date-time must say its offset.
export const asOfParam = z.string().transform((text, ctx) => {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T23:59:59.999+07:00` : text;
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso) ? new Date(iso) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD) or a date-time with its offset (e.g. 2025-07-01T08:00:00+07:00)' });
    return z.NEVER;
  }
  return at;
});

const collectionQuery = z.object({
  bbox: bboxParam.optional(),
  fields: z.string().optional(),
  as_of: asOfParam.optional(),
});

/** Adds the layer routes to the API router (directly: nested routers cost time per request). */
export function addLayerRoutes(router: Router, service: LayerService): void {
  const layerOr404 = (id: string): LayerSpec => {
    const layer = service.layers.find((l) => l.id === id);
    if (!layer) {
      throw notFound(`Unknown layer '${id}'. See /api/layers for the list.`, 'layer_not_found');
    }
    return layer;
  };

  router.get('/layers', async (req, res) => {
    parseQuery(z.object({}), req);
    const entry = await service.catalogue(req.audience, (summaries) => ({
      layers: service.layers.map((layer) => describeLayer(layer, summaries.get(layer.id), req.audience)),
      vocabularies,
    }));
    sendData(req, res, entry);
  });

  router.get('/layers/:id', async (req, res) => {
    const layer = layerOr404(req.params.id);
    const query = parseQuery(collectionQuery, req);
    if (query.as_of) {
      if (!layer.table.thematic) throw badRequest(`as_of: layer '${layer.id}' is reference data and keeps no history.`);
      if (query.bbox || query.fields) throw badRequest('as_of cannot be combined with bbox or fields.');
      return sendData(req, res, await service.collectionAsOf(layer, req.audience, query.as_of));
    }
    const fields = query.fields === undefined ? undefined : parseFields(layer, req.audience, query.fields);
    const body = await service.collection(layer, req.audience, { bbox: query.bbox, fields });
    if ('streamed' in body) await sendStreamed(req, res, body.streamed, cacheControl(req));
    else sendData(req, res, body.cached);
  });

  router.get('/features/:layer/:id', async (req, res) => {
    const layer = layerOr404(req.params.layer);
    parseQuery(z.object({}), req);
    const entry = await service.feature(layer, req.audience, req.params.id);
    if (!entry) throw notFound(`Layer '${layer.id}' has no feature '${req.params.id}'.`, 'feature_not_found');
    sendData(req, res, entry);
  });
}

// Data changes when editors save: always revalidate, cheaply, by ETag. What a signed-in
// user sees (internal fields) is theirs alone: private, and varying with the cookie.
function sendData(req: Request, res: Response, entry: CachedBody) {
  sendCached(req, res, entry, cacheControl(req));
}

const cacheControl = (req: Request) => (req.user ? 'private, no-cache' : 'public, no-cache');

function parseFields(layer: LayerSpec, audience: Audience, text: string): string[] {
  const names = [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
  const known = fieldsFor(layer.table, audience).map((f) => f.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length || !names.length) {
    throw badRequest(
      `fields: unknown field(s) ${unknown.map((n) => `'${n}'`).join(', ') || '(none given)'} for layer '${layer.id}'. ` +
        `Known: ${known.join(', ')}.`,
    );
  }
  return names;
}

export function describeLayer(layer: LayerSpec, counts: { featureCount: number; bbox: number[] | null } | undefined, audience: Audience) {
  return {
    id: layer.id,
    group: layer.group,
    title: layer.title,
    description: layer.description,
    geometryType: layer.geometryType,
    featureCount: counts?.featureCount ?? 0,
    bbox: counts?.bbox ?? null,
    minZoom: layer.minZoom,
    defaultVisible: layer.defaultVisible,
    style: layer.style,
    attribution: layer.attribution ?? null,
    searchable: layer.searchable ?? false,
    // Thematic tables are edited feature by feature; reference data (parcels, base layers) is not.
    editable: layer.table.thematic,
    fields: fieldsFor(layer.table, audience).map(({ name, type, title, unit, vocabulary, generated, visibility }) => ({
      name,
      type,
      title,
      ...(unit ? { unit } : {}),
      ...(vocabulary ? { vocabulary } : {}),
      ...(generated ? { generated } : {}),
      // Only staff learn which fields are internal; the public never sees them at all.
      ...(audience === 'internal' ? { visibility } : {}),
    })),
    delivery: layer.delivery ?? 'geojson',
    links: {
      geojson: `/api/layers/${layer.id}`,
      ogc: `/ogc/collections/${layer.id}`,
      ...(layer.delivery === 'tiles' ? { tiles: tileJsonPath(layer) } : {}),
    },
  };
}
