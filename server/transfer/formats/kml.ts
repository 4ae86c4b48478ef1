// KML 2.2 and KMZ (zipped KML). Attributes travel as ExtendedData, one <Data> per field,
// as text; a placemark's <name> stands in for name_vi when the file has no name_vi.
import { kml as kmlToGeoJson } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import type { Geometry } from '../../features/changes.ts';
import { cellText, fileError, MAX_IMPORT_FEATURES, tooManyFeatures, type ExportRow, type FileChunks, type FileFormat, type ImportedFeature, type ReadResult, type RowPages } from './format.ts';
import { openZip, zipStream } from './zip.ts';

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);

export const kml: FileFormat = {
  id: 'kml',
  title: { vi: 'KML', en: 'KML' },
  extensions: ['.kml'],
  contentType: 'application/vnd.google-earth.kml+xml',
  read: (bytes) => readKml(new TextDecoder('utf-8').decode(bytes)),
  write: (pages, context) => writeKml(pages, context.layer.title.vi),
};

export const kmz: FileFormat = {
  id: 'kmz',
  title: { vi: 'KMZ', en: 'KMZ' },
  extensions: ['.kmz'],
  contentType: 'application/vnd.google-earth.kmz',
  read(bytes) {
    const zip = openZip(bytes);
    const name = zip.names.find((n) => n.toLowerCase() === 'doc.kml') ?? zip.names.find((n) => n.toLowerCase().endsWith('.kml'));
    if (!name) throw fileError('no_kml_in_kmz', 'Tệp KMZ không chứa tệp .kml nào.', 'The KMZ holds no .kml file.');
    return readKml(new TextDecoder('utf-8').decode(zip.read([name])[name]));
  },
  zipped: true,
  write: (pages, context) => zipStream([{ name: 'doc.kml', chunks: writeKml(pages, context.layer.title.vi) }]),
};

// A placemark's opening tag, with or without a namespace prefix (<kml:Placemark>).
const PLACEMARK = /<(?:[\w.-]+:)?Placemark[\s>/]/g;

function readKml(text: string): ReadResult {
  // Counted in the text before any DOM is built: the DOM of 200,000 placemarks takes
  // gigabytes and a minute, the scan milliseconds.
  let placemarks = 0;
  for (const _ of text.matchAll(PLACEMARK)) if (++placemarks > MAX_IMPORT_FEATURES) throw tooManyFeatures();
  let doc: Document;
  try {
    doc = new DOMParser({ onError: (level, message) => {
      if (level !== 'warning') throw new Error(message);
    } }).parseFromString(text, 'text/xml') as unknown as Document;
  } catch (error) {
    throw fileError('bad_xml', `Tệp KML không phải XML hợp lệ: ${(error as Error).message}`, `The KML is not well-formed XML: ${(error as Error).message}`);
  }
  if (doc.documentElement?.nodeName !== 'kml') throw fileError('not_kml', 'Tệp XML này không phải KML (thiếu thẻ <kml>).', 'This XML is not KML (no <kml> root element).');
  const collection = kmlToGeoJson(doc);
  const features: ImportedFeature[] = collection.features.map((f, i) => {
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(f.properties ?? {})) if (typeof value === 'string') properties[key] = value;
    if (properties.name_vi === undefined && properties.name !== undefined) properties.name_vi = properties.name;
    delete properties.name;
    const id = properties.id ?? f.id;
    return { ref: `placemark ${i + 1}`, ...(id !== undefined ? { id: String(id) } : {}), properties, geometry: multiPart(f.geometry as Geometry | null) };
  });
  return { features, textValues: true, warnings: [] };
}

// A MultiGeometry of one kind of part comes back as a GeometryCollection: make it multi-part.
function multiPart(geometry: Geometry | null): unknown {
  if (geometry?.type !== 'GeometryCollection') return geometry;
  const parts = geometry.geometries as { type: string; coordinates: unknown }[];
  const kinds = new Set(parts.map((p) => p.type.replace(/^Multi/, '')));
  if (kinds.size !== 1) return geometry;
  const kind = [...kinds][0]!;
  const coordinates = parts.flatMap((p) => (p.type.startsWith('Multi') ? (p.coordinates as unknown[]) : [p.coordinates]));
  return { type: `Multi${kind}`, coordinates };
}

async function* writeKml(pages: RowPages, title: string): FileChunks {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n<name>${escapeXml(title)}</name>`;
  for await (const rows of pages) yield rows.map(placemark).join('');
  yield '\n</Document></kml>';
}

function placemark(row: ExportRow): string {
  const data = Object.entries({ id: row.id, ...row.properties })
    .map(([key, value]) => `<Data name="${escapeXml(key)}"><value>${escapeXml(cellText(value))}</value></Data>`)
    .join('');
  const name = escapeXml(String(row.properties.name_vi ?? row.id));
  return `\n<Placemark id="${escapeXml(row.id)}"><name>${name}</name><ExtendedData>${data}</ExtendedData>${kmlGeometry(row.geometry)}</Placemark>`;
}

const coordinates = (positions: number[][]) => `<coordinates>${positions.map((p) => p.join(',')).join(' ')}</coordinates>`;
const polygon = (rings: number[][][]) =>
  `<Polygon><outerBoundaryIs><LinearRing>${coordinates(rings[0]!)}</LinearRing></outerBoundaryIs>` +
  rings.slice(1).map((r) => `<innerBoundaryIs><LinearRing>${coordinates(r)}</LinearRing></innerBoundaryIs>`).join('') +
  '</Polygon>';

function kmlGeometry(g: Geometry): string {
  const c = g.coordinates as never;
  switch (g.type) {
    case 'Point':
      return `<Point>${coordinates([c])}</Point>`;
    case 'LineString':
      return `<LineString>${coordinates(c)}</LineString>`;
    case 'Polygon':
      return polygon(c);
    case 'MultiLineString':
      return `<MultiGeometry>${(c as number[][][]).map((l) => `<LineString>${coordinates(l)}</LineString>`).join('')}</MultiGeometry>`;
    case 'MultiPolygon':
      return `<MultiGeometry>${(c as number[][][][]).map(polygon).join('')}</MultiGeometry>`;
    default:
      throw new Error(`KML export of ${g.type} is not supported`);
  }
}
