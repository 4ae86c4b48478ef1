// GET /api/layers, /api/layers/:id and /api/features/:layer/:id.
import type { Router } from 'express';
import { z } from 'zod';
import { badRequest, notFound } from '../http/errors.ts';
import { sendCached } from '../http/cached-body.ts';
import { bboxParam, parseQuery } from '../http/validate.ts';
import type { LayerSpec } from './registry.ts';
import type { LayerService } from './service.ts';
import { publicFields, type Audience } from './tables.ts';
import { vocabularies } from './vocabulary.ts';
import { tileJsonPath } from '../tiles/paths.ts';

// Data changes when editors save: always revalidate, cheaply, by ETag.
const DATA_CACHE_CONTROL = 'public, no-cache';

const collectionQuery = z.object({
  bbox: bboxParam.optional(),
  fields: z.string().optional(),
});

/** Adds the layer routes to the API router (directly: nested routers cost time per request). */
export function addLayerRoutes(router: Router, service: LayerService): void {
  const audience: Audience = 'public';

  const layerOr404 = (id: string): LayerSpec => {
    const layer = service.layers.find((l) => l.id === id);
    if (!layer) {
      throw notFound(`Unknown layer '${id}'. See /api/layers for the list.`, 'layer_not_found');
    }
    return layer;
  };

  router.get('/layers', async (req, res) => {
    parseQuery(z.object({}), req);
    const entry = await service.catalogue(audience, (summaries) => ({
      layers: service.layers.map((layer) => describeLayer(layer, summaries.get(layer.id))),
      vocabularies,
    }));
    sendCached(req, res, entry, DATA_CACHE_CONTROL);
  });

  router.get('/layers/:id', async (req, res) => {
    const layer = layerOr404(req.params.id);
    const query = parseQuery(collectionQuery, req);
    const fields = query.fields === undefined ? undefined : parseFields(layer, query.fields);
    const entry = await service.collection(layer, audience, { bbox: query.bbox, fields });
    sendCached(req, res, entry, DATA_CACHE_CONTROL);
  });

  router.get('/features/:layer/:id', async (req, res) => {
    const layer = layerOr404(req.params.layer);
    parseQuery(z.object({}), req);
    const entry = await service.feature(layer, audience, req.params.id);
    if (!entry) throw notFound(`Layer '${layer.id}' has no feature '${req.params.id}'.`, 'feature_not_found');
    sendCached(req, res, entry, DATA_CACHE_CONTROL);
  });
}

function parseFields(layer: LayerSpec, text: string): string[] {
  const names = [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
  const known = publicFields(layer.table).map((f) => f.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length || !names.length) {
    throw badRequest(
      `fields: unknown field(s) ${unknown.map((n) => `'${n}'`).join(', ') || '(none given)'} for layer '${layer.id}'. ` +
        `Known: ${known.join(', ')}.`,
    );
  }
  return names;
}

export function describeLayer(layer: LayerSpec, counts: { featureCount: number; bbox: number[] | null } | undefined) {
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
    fields: publicFields(layer.table).map(({ name, type, title, unit, vocabulary }) => ({
      name,
      type,
      title,
      ...(unit ? { unit } : {}),
      ...(vocabulary ? { vocabulary } : {}),
    })),
    delivery: layer.delivery ?? 'geojson',
    links: {
      geojson: `/api/layers/${layer.id}`,
      ogc: `/ogc/collections/${layer.id}`,
      ...(layer.delivery === 'tiles' ? { tiles: tileJsonPath(layer) } : {}),
    },
  };
}
