// The JSON documents of OGC API – Features, built from the registry and the layers'
// summaries. Pure functions of their inputs: no HTTP, no database.
import type { LayerSpec } from '../layers/registry.ts';
import type { LayerSummary } from '../layers/service.ts';
import { CRS84, crsUris } from './crs.ts';

export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';
export const HTML = 'text/html';
export const OPENAPI = 'application/vnd.oai.openapi+json;version=3.0';

export const conformanceClasses = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
];

export const SERVICE_TITLE = 'Lạng Sơn GIS — OGC API Features';
const SERVICE_DESCRIPTION =
  'Khu công nghiệp, cụm công nghiệp, cửa khẩu, dự án và quy hoạch tỉnh Lạng Sơn / ' +
  'Industrial parks and clusters, border gates, projects and planning areas of Lạng Sơn province';

export type Link = { href: string; rel: string; type: string; title?: string };

/** Links to a resource in JSON (self) and HTML (alternate), or the other way round. */
export function selfLinks(href: string, jsonType: string, html: boolean): Link[] {
  const withFormat = (f: string) => `${href}${href.includes('?') ? '&' : '?'}f=${f}`;
  const json = { href: withFormat('json'), type: jsonType };
  const page = { href: withFormat('html'), type: HTML };
  return html ? [{ ...page, rel: 'self' }, { ...json, rel: 'alternate' }] : [{ ...json, rel: 'self' }, { ...page, rel: 'alternate' }];
}

export function landingPage(base: string, html: boolean) {
  return {
    title: SERVICE_TITLE,
    description: SERVICE_DESCRIPTION,
    links: [
      ...selfLinks(base, JSON_TYPE, html),
      { href: `${base}/api`, rel: 'service-desc', type: OPENAPI, title: 'OpenAPI 3.0' },
      { href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes' },
      { href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: 'Collections' },
    ],
  };
}

export function conformance(base: string, html: boolean) {
  return { links: selfLinks(`${base}/conformance`, JSON_TYPE, html), conformsTo: conformanceClasses };
}

export function collection(base: string, layer: LayerSpec, summary: LayerSummary | undefined, html: boolean) {
  const href = `${base}/collections/${layer.id}`;
  return {
    id: layer.id,
    title: layer.title.vi,
    description: `${layer.description.vi} / ${layer.title.en}: ${layer.description.en}`,
    links: [
      ...selfLinks(href, JSON_TYPE, html),
      { href: `${href}/items?f=json`, rel: 'items', type: GEOJSON, title: 'Features (GeoJSON)' },
      { href: `${href}/items?f=html`, rel: 'items', type: HTML, title: 'Features (HTML)' },
    ],
    extent: {
      spatial: { bbox: [summary?.bbox ?? [-180, -90, 180, 90]], crs: CRS84 },
      ...(layer.temporalField
        ? { temporal: { interval: [summary?.dates ?? [null, null]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } }
        : {}),
    },
    itemType: 'feature',
    crs: crsUris,
    storageCrs: CRS84,
  };
}

export function collections(base: string, layers: readonly LayerSpec[], summaries: Map<string, LayerSummary>, html: boolean) {
  return {
    links: selfLinks(`${base}/collections`, JSON_TYPE, html),
    collections: layers.map((layer) => collection(base, layer, summaries.get(layer.id), false)),
    crs: crsUris,
  };
}
