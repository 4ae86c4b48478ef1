// GET /tiles/{layer}.json (TileJSON 3.0.0) and /tiles/{layer}/{z}/{x}/{y}.mvt, for every
// registry layer. Empty tiles are 204 No Content, which MapLibre draws as empty.
import express, { type Router } from 'express';
import { z } from 'zod';
import { apiNotFound, badRequest, notFound } from '../http/errors.ts';
import { sendCached } from '../http/cached-body.ts';
import { origin } from '../http/origin.ts';
import { parseQuery } from '../http/validate.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { LayerService } from '../layers/service.ts';
import { tileFields, type TileAddress } from './queries.ts';
import { tileTemplatePath } from './paths.ts';
import type { TileService } from './service.ts';

// Data changes when editors save: always revalidate, cheaply, by ETag.
const TILE_CACHE_CONTROL = 'public, no-cache';
/** Deepest zoom served; TileJSON advertises less and lets clients overzoom. */
export const MAX_ZOOM = 22;
const TILEJSON_MAX_ZOOM = 16;
// Web Mercator's limits, for layers with no features yet.
const WORLD: [number, number, number, number] = [-180, -85.0511, 180, 85.0511];

const integer = (name: string) =>
  z.string().regex(/^\d{1,9}$/, `${name} must be a whole number`).transform(Number);

const tileParams = z
  .object({ z: integer('z'), x: integer('x'), y: integer('y') })
  .superRefine((t, ctx) => {
    if (t.z > MAX_ZOOM) ctx.addIssue({ code: 'custom', message: `z must be within 0…${MAX_ZOOM}; got ${t.z}.` });
    else {
      const last = 2 ** t.z - 1;
      for (const axis of ['x', 'y'] as const) {
        if (t[axis] > last) ctx.addIssue({ code: 'custom', message: `${axis} must be within 0…${last} at zoom ${t.z}; got ${t[axis]}.` });
      }
    }
  });

export function tileAddress(params: Record<string, string>): TileAddress {
  const parsed = tileParams.safeParse(params);
  if (!parsed.success) throw badRequest(`Tile ${params.z}/${params.x}/${params.y}: ${parsed.error.issues[0]!.message}`, 'invalid_tile');
  return parsed.data;
}

export function tileRoutes(tiles: TileService, layerService: LayerService): Router {
  const router = express.Router();
  const layerOr404 = (id: string): LayerSpec => {
    const layer = layerService.layers.find((l) => l.id === id);
    if (!layer) throw notFound(`Unknown layer '${id}'. See /api/layers for the list.`, 'layer_not_found');
    return layer;
  };

  router.get('/:layer.json', async (req, res) => {
    const layer = layerOr404(req.params.layer);
    parseQuery(z.object({}), req);
    const summary = (await layerService.summaries()).get(layer.id);
    res.setHeader('Cache-Control', TILE_CACHE_CONTROL);
    res.json(tileJson(layer, origin(req), summary?.bbox ?? WORLD));
  });

  router.get('/:layer/:z/:x/:y.mvt', async (req, res) => {
    const layer = layerOr404(req.params.layer);
    const address = tileAddress(req.params);
    parseQuery(z.object({}), req);
    sendCached(req, res, await tiles.tile(layer, address), TILE_CACHE_CONTROL);
  });

  router.use(apiNotFound);
  return router;
}

const TILEJSON_TYPES = { text: 'String', date: 'String', datetime: 'String', number: 'Number', integer: 'Number' } as const;

function tileJson(layer: LayerSpec, base: string, bounds: [number, number, number, number]) {
  const fields = Object.fromEntries([
    ['id', 'String'],
    ...tileFields(layer).map((f) => [f.name, TILEJSON_TYPES[f.type as keyof typeof TILEJSON_TYPES]]),
  ]);
  return {
    tilejson: '3.0.0',
    name: layer.title.vi,
    description: layer.description.vi,
    ...(layer.attribution ? { attribution: layer.attribution } : {}),
    scheme: 'xyz',
    tiles: [`${base}${tileTemplatePath(layer)}`],
    minzoom: layer.minZoom,
    maxzoom: TILEJSON_MAX_ZOOM,
    bounds,
    vector_layers: [{ id: layer.id, description: layer.title.en, minzoom: layer.minZoom, maxzoom: TILEJSON_MAX_ZOOM, fields }],
  };
}
