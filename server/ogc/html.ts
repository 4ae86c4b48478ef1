// HTML representations of the OGC documents, for people browsing the API. Every value
// is escaped; the pages are plain and need no script or network.
import type { Link } from './documents.ts';

const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const link = (href: string, text: unknown) => `<a href="${escape(href)}">${escape(text)}</a>`;

const cell = (value: unknown) => (value !== null && typeof value === 'object' ? `<code>${escape(JSON.stringify(value))}</code>` : escape(value));

/** The pages' one stylesheet, inline (allowed by its hash in the Content-Security-Policy). */
export const OGC_PAGE_STYLE =
  'body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}table{border-collapse:collapse}' +
  'td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top;max-width:28rem}th{background:#f3f3f3}' +
  'nav a{margin-right:1rem}code{font-size:12px}';

function page(title: string, base: string, body: string): string {
  return (
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escape(title)}</title>` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<style>${OGC_PAGE_STYLE}</style></head><body>` +
    `<nav>${link(`${base}?f=html`, 'OGC API')}${link(`${base}/collections?f=html`, 'Collections')}${link(`${base}/conformance?f=html`, 'Conformance')}${link(`${base}/api`, 'OpenAPI')}</nav>` +
    `<h1>${escape(title)}</h1>${body}</body></html>`
  );
}

const linkList = (links: Link[]) =>
  `<ul>${links.filter((l) => l.rel !== 'self').map((l) => `<li>${link(l.href, l.title ?? l.rel)} <small>(${escape(l.rel)}, ${escape(l.type)})</small></li>`).join('')}</ul>`;

export function landingHtml(base: string, doc: { title: string; description: string; links: Link[] }): string {
  return page(doc.title, base, `<p>${escape(doc.description)}</p>${linkList(doc.links)}`);
}

export function conformanceHtml(base: string, doc: { conformsTo: string[] }): string {
  return page('Conformance', base, `<ul>${doc.conformsTo.map((c) => `<li>${escape(c)}</li>`).join('')}</ul>`);
}

type CollectionDoc = { id: string; title: string; description: string; links: Link[]; extent: { spatial: { bbox: unknown[] }; temporal?: { interval: unknown[] } } };

export function collectionsHtml(base: string, doc: { collections: CollectionDoc[] }): string {
  const rows = doc.collections
    .map((c) => `<tr><td>${link(`${base}/collections/${c.id}?f=html`, c.id)}</td><td>${escape(c.title)}</td><td>${escape(c.description)}</td><td>${link(`${base}/collections/${c.id}/items?f=html`, 'items')}</td></tr>`)
    .join('');
  return page('Collections', base, `<table><tr><th>id</th><th>title</th><th>description</th><th></th></tr>${rows}</table>`);
}

export function collectionHtml(base: string, doc: CollectionDoc): string {
  const extent = `<p>bbox: <code>${escape(JSON.stringify(doc.extent.spatial.bbox[0]))}</code>${doc.extent.temporal ? `; dates: <code>${escape(JSON.stringify(doc.extent.temporal.interval[0]))}</code>` : ''}</p>`;
  return page(doc.title, base, `<p>${escape(doc.description)}</p>${extent}${linkList(doc.links)}`);
}

type Feature = { id: string; geometry: { type: string } | null; properties: Record<string, unknown> };

/** `fieldOrder`: the layer's fields in registry order (jsonb keeps its own order). */
export function itemsHtml(
  base: string,
  collectionId: string,
  fieldOrder: string[],
  doc: { numberMatched: number; numberReturned: number; links: Link[]; features: Feature[] },
): string {
  const present = new Set(doc.features.flatMap((f) => Object.keys(f.properties)));
  const keys = [...new Set([...fieldOrder.filter((k) => present.has(k)), ...present])];
  const rows = doc.features
    .map((f) => `<tr><td>${link(`${base}/collections/${collectionId}/items/${encodeURIComponent(f.id)}?f=html`, f.id)}</td><td>${escape(f.geometry?.type)}</td>${keys.map((k) => `<td>${cell(f.properties[k])}</td>`).join('')}</tr>`)
    .join('');
  const paging = doc.links.filter((l) => (l.rel === 'next' || l.rel === 'prev') && l.type === 'text/html').map((l) => link(l.href, l.rel === 'next' ? 'next →' : '← previous')).join(' ');
  return page(
    `${collectionId}: ${doc.numberReturned} of ${doc.numberMatched}`,
    base,
    `<p>${paging}</p><table><tr><th>id</th><th>geometry</th>${keys.map((k) => `<th>${escape(k)}</th>`).join('')}</tr>${rows}</table><p>${paging}</p>`,
  );
}

export function itemHtml(base: string, collectionId: string, feature: Feature): string {
  const rows = Object.entries(feature.properties).map(([k, v]) => `<tr><th>${escape(k)}</th><td>${cell(v)}</td></tr>`).join('');
  return page(
    `${collectionId} / ${feature.id}`,
    base,
    `<p>${link(`${base}/collections/${collectionId}/items?f=html`, collectionId)} · geometry: ${escape(feature.geometry?.type)}</p><table>${rows}</table>`,
  );
}
