// /ogc: OGC API – Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) and Part 2 (CRS).
// Collections are the registry's layers. JSON or HTML by `f`, else by the Accept header.
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { sendCached } from '../http/cached-body.ts';
import { apiNotFound, badRequest, notFound } from '../http/errors.ts';
import { origin } from '../http/origin.ts';
import { parseQuery } from '../http/validate.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fieldsFor } from '../layers/tables.ts';
import { CRS84, findCrs } from './crs.ts';
import { collection, collections, conformance, GEOJSON, HTML, JSON_TYPE, landingPage, OPENAPI, selfLinks, type Link } from './documents.ts';
import { collectionHtml, collectionsHtml, conformanceHtml, itemHtml, itemsHtml, landingHtml } from './html.ts';
import { openApi } from './openapi.ts';
import { formatParam, itemSchema, itemsSchema, toItemsQuery } from './params.ts';
import type { OgcService } from './service.ts';

// What signed-in staff get (internal fields) is theirs alone: private, varying with the cookie.
const cacheControl = (req: Request) => (req.user ? 'private, no-cache' : 'public, no-cache');
const documentQuery = z.object({ f: formatParam });

/** HTML when asked by f=html, or when the client prefers it (browsers); JSON otherwise. */
function wantsHtml(req: Request, f: string | undefined): boolean {
  if (f) return f === 'html';
  return req.accepts([JSON_TYPE, GEOJSON, HTML]) === HTML;
}

function send(req: Request, res: Response, type: string, body: string) {
  res.setHeader('Cache-Control', cacheControl(req));
  res.vary('Cookie');
  res.type(type).send(body);
}

export function ogcRoutes(service: OgcService): Router {
  const router = express.Router();
  const itemsSchemas = new Map(service.layers.map((l) => [l.id, itemsSchema(l)]));
  const base = (req: Request) => `${origin(req)}/ogc`;
  const collectionOr404 = (id: string): LayerSpec => {
    const layer = service.layers.find((l) => l.id === id);
    if (!layer) throw notFound(`Unknown collection '${id}'. See /ogc/collections for the list.`, 'collection_not_found');
    return layer;
  };

  router.get('/', (req, res) => {
    const html = wantsHtml(req, parseQuery(documentQuery, req).f);
    const doc = landingPage(base(req), html);
    html ? send(req, res, HTML, landingHtml(base(req), doc)) : send(req, res, JSON_TYPE, JSON.stringify(doc));
  });

  router.get('/conformance', (req, res) => {
    const html = wantsHtml(req, parseQuery(documentQuery, req).f);
    const doc = conformance(base(req), html);
    html ? send(req, res, HTML, conformanceHtml(base(req), doc)) : send(req, res, JSON_TYPE, JSON.stringify(doc));
  });

  router.get('/api', (req, res) => {
    parseQuery(z.object({ f: z.enum(['json']).optional() }), req);
    send(req, res, OPENAPI, JSON.stringify(openApi(base(req), service.layers)));
  });

  router.get('/collections', async (req, res) => {
    const html = wantsHtml(req, parseQuery(documentQuery, req).f);
    const doc = collections(base(req), service.layers, await service.summaries(), html);
    html ? send(req, res, HTML, collectionsHtml(base(req), doc)) : send(req, res, JSON_TYPE, JSON.stringify(doc));
  });

  router.get('/collections/:collectionId', async (req, res) => {
    const layer = collectionOr404(req.params.collectionId);
    const html = wantsHtml(req, parseQuery(documentQuery, req).f);
    const doc = collection(base(req), layer, (await service.summaries()).get(layer.id), html);
    html ? send(req, res, HTML, collectionHtml(base(req), doc)) : send(req, res, JSON_TYPE, JSON.stringify(doc));
  });

  router.get('/collections/:collectionId/items', async (req, res) => {
    const layer = collectionOr404(req.params.collectionId);
    const parsed = parseQuery(itemsSchemas.get(layer.id)!, req) as Record<string, unknown>;
    const query = toItemsQuery(layer, parsed, (message) => badRequest(message));
    const html = wantsHtml(req, parsed.f as string | undefined);
    // Links keep every parameter but the format and the offset.
    const given = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
    given.delete('f');
    given.delete('offset');
    const href = (offset: number) => {
      const params = new URLSearchParams(given);
      if (offset) params.set('offset', String(offset));
      const qs = params.toString();
      return `${base(req)}/collections/${layer.id}/items${qs ? `?${qs}` : ''}`;
    };
    const links = (matched: number, returned: number): Link[] => {
      const out: Link[] = [
        ...selfLinks(href(query.offset), GEOJSON, false),
        { href: `${base(req)}/collections/${layer.id}`, rel: 'collection', type: JSON_TYPE, title: layer.title.vi },
      ];
      const page = (rel: string, offset: number) => selfLinks(href(offset), GEOJSON, false).map((l) => ({ ...l, rel }));
      if (query.offset + returned < matched) out.push(...page('next', query.offset + returned));
      if (query.offset > 0) out.push(...page('prev', Math.max(0, query.offset - query.limit)));
      return out;
    };
    given.sort();
    const entry = await service.items(layer, query, req.audience, `${origin(req)}|${query.offset}|${given.toString()}`, links);
    res.setHeader('Content-Crs', `<${query.crs.uri}>`);
    const fieldOrder = fieldsFor(layer.table, req.audience).map((f) => f.name);
    if (html) send(req, res, HTML, itemsHtml(base(req), layer.id, fieldOrder, JSON.parse(entry.body.toString('utf8'))));
    else sendCached(req, res, entry, cacheControl(req));
  });

  router.get('/collections/:collectionId/items/:featureId', async (req, res) => {
    const layer = collectionOr404(req.params.collectionId);
    const parsed = parseQuery(itemSchema, req);
    const crs = findCrs(parsed.crs ?? CRS84)!;
    const text = await service.item(layer, req.params.featureId, crs, req.audience);
    if (!text) throw notFound(`Collection '${layer.id}' has no feature '${req.params.featureId}'.`, 'feature_not_found');
    const href = `${base(req)}/collections/${layer.id}/items/${encodeURIComponent(req.params.featureId)}`;
    const html = wantsHtml(req, parsed.f);
    const feature = JSON.parse(text) as { id: string; geometry: { type: string } | null; properties: Record<string, unknown> };
    res.setHeader('Content-Crs', `<${crs.uri}>`);
    if (html) send(req, res, HTML, itemHtml(base(req), layer.id, feature));
    else {
      const links = [...selfLinks(href, GEOJSON, false), { href: `${base(req)}/collections/${layer.id}`, rel: 'collection', type: JSON_TYPE }];
      send(req, res, GEOJSON, JSON.stringify({ ...feature, links }));
    }
  });

  router.use(apiNotFound);
  return router;
}
