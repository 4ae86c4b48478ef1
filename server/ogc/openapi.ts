// The OpenAPI 3.0 description of /ogc, generated from the registry: one items path per
// collection, listing the fields it can be filtered on. GDAL reads the limit parameter's
// bounds from here.
import type { LayerSpec } from '../layers/registry.ts';
import { crsUris, CRS84 } from './crs.ts';
import { GEOJSON, HTML, JSON_TYPE, OPENAPI, SERVICE_TITLE } from './documents.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, filterableFields } from './params.ts';

const SCHEMA_TYPES = { text: 'string', number: 'number', integer: 'integer', date: 'string' } as const;

const ref = (name: string) => ({ $ref: `#/components/parameters/${name}` });

const response = (description: string, types: string[]) => ({
  description,
  content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'object' } }])),
});

const errors = {
  '400': response('Invalid parameter', [JSON_TYPE]),
  '404': response('Not found', [JSON_TYPE]),
};

const get = (summary: string, types: string[], parameters: object[] = [], operationId?: string) => ({
  get: {
    summary,
    ...(operationId ? { operationId } : {}),
    parameters: [ref('f'), ...parameters],
    responses: { '200': response(summary, [...types, HTML]), ...errors },
  },
});

export function openApi(base: string, layers: readonly LayerSpec[]) {
  const paths: Record<string, object> = {
    '/': get('Landing page', [JSON_TYPE], [], 'getLandingPage'),
    '/conformance': get('Conformance classes', [JSON_TYPE], [], 'getConformance'),
    '/api': { get: { summary: 'This document', operationId: 'getApi', responses: { '200': response('OpenAPI 3.0', [OPENAPI]) } } },
    '/collections': get('Collections', [JSON_TYPE], [], 'getCollections'),
    '/collections/{collectionId}': get('One collection', [JSON_TYPE], [ref('collectionId')], 'describeCollection'),
  };
  for (const layer of layers) {
    const filters = filterableFields(layer).map((f) => ({
      name: f.name,
      in: 'query',
      required: false,
      description: `${f.title.en} equals this value`,
      schema: { type: SCHEMA_TYPES[f.type as keyof typeof SCHEMA_TYPES], ...(f.type === 'date' ? { format: 'date' } : {}) },
    }));
    paths[`/collections/${layer.id}/items`] = get(
      `${layer.title.en}: features`,
      [GEOJSON],
      [ref('limit'), ref('offset'), ref('bbox'), ref('bbox-crs'), ref('crs'), ...(layer.temporalField ? [ref('datetime')] : []), ...filters],
      `getFeatures_${layer.id}`,
    );
    paths[`/collections/${layer.id}/items/{featureId}`] = get(`${layer.title.en}: one feature`, [GEOJSON], [ref('featureId'), ref('crs')], `getFeature_${layer.id}`);
  }
  return {
    openapi: '3.0.3',
    info: { title: SERVICE_TITLE, version: '1.0.0', description: 'OGC API – Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) and Part 2 (CRS).' },
    servers: [{ url: base }],
    paths,
    components: {
      parameters: {
        f: { name: 'f', in: 'query', required: false, description: 'Representation', schema: { type: 'string', enum: ['json', 'geojson', 'html'] } },
        collectionId: { name: 'collectionId', in: 'path', required: true, schema: { type: 'string', enum: layers.map((l) => l.id) } },
        featureId: { name: 'featureId', in: 'path', required: true, schema: { type: 'string' } },
        limit: {
          name: 'limit',
          in: 'query',
          required: false,
          style: 'form',
          explode: false,
          schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
        },
        offset: { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
        bbox: {
          name: 'bbox',
          in: 'query',
          required: false,
          style: 'form',
          explode: false,
          schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
        },
        'bbox-crs': { name: 'bbox-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsUris, default: CRS84 } },
        crs: { name: 'crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsUris, default: CRS84 } },
        datetime: { name: 'datetime', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'string' } },
      },
    },
  };
}
