// GeoJSON (RFC 7946): WGS 84 longitude/latitude only. A legacy `crs` member naming
// anything else is refused rather than guessed at.
import { fileError, MAX_IMPORT_FEATURES, tooManyFeatures, type FileFormat, type ImportedFeature } from './format.ts';

const WGS84_NAMES = /^(urn:ogc:def:crs:OGC:1\.3:CRS84|urn:ogc:def:crs:EPSG::4326|EPSG:4326|CRS84)$/i;

export const geojson: FileFormat = {
  id: 'geojson',
  title: { vi: 'GeoJSON', en: 'GeoJSON' },
  extensions: ['.geojson', '.json'],
  contentType: 'application/geo+json',
  read(bytes) {
    let doc: { type?: string; features?: unknown[]; crs?: { properties?: { name?: string } } };
    try {
      doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''));
    } catch (error) {
      throw fileError('bad_json', `Tệp không phải JSON hợp lệ: ${(error as Error).message}`, `The file is not valid JSON: ${(error as Error).message}`);
    }
    const crs = doc?.crs?.properties?.name;
    if (crs !== undefined && !WGS84_NAMES.test(crs)) {
      throw fileError('unsupported_crs', `GeoJSON phải dùng WGS 84 (kinh độ, vĩ độ); tệp ghi hệ tọa độ ${crs}. Hãy chuyển sang WGS 84 hoặc dùng Shapefile kèm .prj.`, `GeoJSON must be WGS 84 longitude/latitude; this file declares ${crs}. Reproject it, or upload a shapefile with its .prj.`);
    }
    const list = doc?.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features : doc?.type === 'Feature' ? [doc] : null;
    if (!list) throw fileError('not_geojson', 'Tệp JSON không phải FeatureCollection hay Feature của GeoJSON.', 'The JSON is not a GeoJSON FeatureCollection or Feature.');
    if (list.length > MAX_IMPORT_FEATURES) throw tooManyFeatures();
    const features: ImportedFeature[] = list.map((f, i) => {
      const feature = (f ?? {}) as { id?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };
      const properties = { ...(feature.properties ?? {}) };
      const id = feature.id ?? properties.id;
      return { ref: `feature ${i + 1}`, ...(id !== undefined && id !== null ? { id: String(id) } : {}), properties, geometry: feature.geometry ?? null };
    });
    return { features, textValues: false, warnings: [] };
  },
  async *write(pages) {
    yield '{"type":"FeatureCollection","features":[';
    let separator = '';
    for await (const rows of pages) {
      yield separator + rows.map((r) => JSON.stringify({ type: 'Feature', id: r.id, geometry: r.geometry, properties: r.properties })).join(',');
      separator = ',';
    }
    yield ']}';
  },
};
