// CSV: one feature per row, geometry as WKT (column wkt/geometry/geom) or as lon/lat
// columns (points). Lists and legal bases are JSON in their cell. Written with a BOM so
// spreadsheet programs read the Vietnamese text as UTF-8; ',' or ';' separated on import.
import { parse } from 'csv-parse/sync';
import { cellText, fileError, MAX_IMPORT_FEATURES, tooManyFeatures, type ExportContext, type ExportRow, type FileChunks, type FileFormat, type ImportedFeature, type ReadResult, type RowPages } from './format.ts';

const WKT_COLUMNS = ['wkt', 'geometry', 'geom'];
const LON_COLUMNS = ['lon', 'lng', 'long', 'longitude'];
const LAT_COLUMNS = ['lat', 'latitude'];

/** A WKT geometry, converted to GeoJSON by PostGIS during the import. */
export type WktGeometry = { wkt: string };
export const isWkt = (g: unknown): g is WktGeometry => typeof g === 'object' && g !== null && 'wkt' in g;

const quote = (text: string) => (/[",;\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const line = (cells: string[]) => cells.map(quote).join(',');

export function readCsv(bytes: Uint8Array): ReadResult {
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: Record<string, string>[];
  try {
    // One record past the cap is enough to refuse: the parser stops there.
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim()), delimiter, skip_empty_lines: true, trim: false, to: MAX_IMPORT_FEATURES + 1 });
  } catch (error) {
    throw fileError('bad_csv', `Tệp CSV không đọc được: ${(error as Error).message}`, `The CSV cannot be read: ${(error as Error).message}`);
  }
  if (records.length > MAX_IMPORT_FEATURES) throw tooManyFeatures();
  const columns = records.length ? Object.keys(records[0]!) : firstLine.split(delimiter).map((h) => h.trim());
  const pick = (names: string[]) => columns.find((c) => names.includes(c.toLowerCase()));
  const wkt = pick(WKT_COLUMNS);
  const lon = pick(LON_COLUMNS);
  const lat = pick(LAT_COLUMNS);
  if (!wkt && !(lon && lat)) {
    throw fileError('no_geometry_columns', 'CSV cần cột WKT (wkt) hoặc hai cột lon, lat (WGS 84).', 'The CSV needs a WKT column (wkt) or lon and lat columns (WGS 84).');
  }
  const features: ImportedFeature[] = records.map((record, i) => {
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) if (![wkt, lon, lat].includes(key)) properties[key] = value;
    let geometry: unknown = null;
    if (wkt && record[wkt]?.trim()) geometry = { wkt: record[wkt].trim() } satisfies WktGeometry;
    else if (lon && lat && record[lon]?.trim() && record[lat]?.trim()) geometry = { type: 'Point', coordinates: [Number(record[lon]), Number(record[lat])] };
    const id = record.id?.trim();
    // Row 1 is the header: data rows are numbered as a spreadsheet shows them.
    return { ref: `row ${i + 2}`, ...(id ? { id } : {}), properties, geometry };
  });
  return { features, textValues: true, warnings: [] };
}

const bom = '\uFEFF';

/** One writer for both CSV variants: id, the fields, then the geometry columns. */
async function* writeCsv(pages: RowPages, context: ExportContext, geometryColumns: string[], geometryCells: (row: ExportRow) => string[]): FileChunks {
  const names = context.fields.map((f) => f.name);
  yield bom + line(['id', ...names, ...geometryColumns]) + '\r\n';
  for await (const rows of pages) {
    yield rows.map((r) => line([r.id, ...names.map((n) => cellText(r.properties[n])), ...geometryCells(r)]) + '\r\n').join('');
  }
}

export const csv: FileFormat = {
  id: 'csv',
  title: { vi: 'CSV (hình học WKT)', en: 'CSV (WKT geometry)' },
  extensions: ['.csv', '.txt'],
  contentType: 'text/csv; charset=utf-8',
  read: readCsv,
  write: (pages, context) => writeCsv(pages, context, ['wkt'], (r) => [r.wkt]),
};

export const csvLonLat: FileFormat = {
  id: 'csv_lonlat',
  title: { vi: 'CSV (kinh độ, vĩ độ)', en: 'CSV (longitude, latitude)' },
  extensions: [],
  contentType: 'text/csv; charset=utf-8',
  geometryTypes: ['Point'],
  write: (pages, context) =>
    writeCsv(pages, context, ['lon', 'lat'], (r) => {
      const [lon, lat] = r.geometry.coordinates as number[];
      return [String(lon), String(lat)];
    }),
};
