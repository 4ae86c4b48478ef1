// One small interface per file format; formats/index.ts lists them all. A format reads
// an upload into plain features (coordinates as found, with the CRS they are in) and
// writes a layer's rows; what the values mean is decided by import.ts and validation.
import type { Geometry } from '../../features/changes.ts';
import type { LayerSpec } from '../../layers/registry.ts';
import type { Field } from '../../layers/tables.ts';
import type { Title } from '../../layers/vocabulary.ts';

export type ImportedFeature = {
  /** Where it is in the file, for the report: "feature 3", "row 12", "placemark 2". */
  ref: string;
  id?: string;
  properties: Record<string, unknown>;
  geometry: unknown;
};

export type ReadResult = {
  features: ImportedFeature[];
  /** The coordinate system to reproject from (WKT or PROJ string); absent = WGS 84 lon/lat. */
  sourceCrs?: string;
  /** Values came as text (CSV, KML, DBF strings) and are to be read by field type. */
  textValues: boolean;
  warnings: Title[];
  /** Rows change the properties of features that exist, never a geometry (spreadsheets). */
  attributesOnly?: boolean;
};

export type ExportRow = { id: string; properties: Record<string, unknown>; geometry: Geometry; wkt: string };
export type ExportContext = { layer: LayerSpec; fields: readonly Field[] };
/** A layer's rows, a page at a time, in id order: a whole layer is never held at once. */
export type RowPages = AsyncIterable<readonly ExportRow[]>;
/**
 * A file as it is written, its bytes in order. The next chunk is asked for only once the
 * last one was taken, so a slow reader holds back the reading of rows (backpressure).
 */
export type FileChunks = AsyncIterable<Uint8Array | string>;

export type FileFormat = {
  id: string;
  title: Title;
  /** File name endings this format reads (lower case, with the dot). */
  extensions: readonly string[];
  contentType: string;
  /**
   * Reads an upload; throws ImportFileError for a file that cannot be imported, and
   * too_many_features as soon as it sees more than MAX_IMPORT_FEATURES (not after
   * building them all). Runs in the parse worker (read-upload.ts).
   */
  read?(bytes: Uint8Array): Promise<ReadResult> | ReadResult;
  write?(pages: RowPages, context: ExportContext): FileChunks;
  /** The file is a zip archive, compressed already: not gzipped again on the way. */
  zipped?: boolean;
  /** Export only for layers of these geometry types (lon/lat columns hold points only). */
  geometryTypes?: readonly string[];
};

export type FileErrorCode =
  | 'empty_file'
  | 'unsupported_format'
  | 'bad_json'
  | 'not_geojson'
  | 'unsupported_crs'
  | 'bad_xml'
  | 'not_kml'
  | 'bad_zip'
  | 'too_large_uncompressed'
  | 'too_many_entries'
  | 'no_kml_in_kmz'
  | 'no_shapefile'
  | 'several_shapefiles'
  | 'missing_shapefile_part'
  | 'bad_shapefile'
  | 'missing_prj'
  | 'unknown_crs'
  | 'bad_csv'
  | 'no_geometry_columns'
  | 'bad_xlsx'
  | 'no_header_row'
  | 'no_features'
  | 'too_many_features'
  | 'too_complex';

/** A problem with the file as a whole: nothing in it can be imported. */
export class ImportFileError extends Error {
  constructor(
    readonly code: FileErrorCode,
    readonly text: Title,
  ) {
    super(text.en);
  }
}

export const fileError = (code: FileErrorCode, vi: string, en: string) => new ImportFileError(code, { vi, en });

/** At most this many features per import; formats refuse a file as soon as they see one more. */
export const MAX_IMPORT_FEATURES = 10_000;

export const tooManyFeatures = () => fileError('too_many_features', `Tệp có quá ${MAX_IMPORT_FEATURES} đối tượng.`, `The file holds more than ${MAX_IMPORT_FEATURES} features.`);

/** The parse ran out of the memory (or nesting depth) a parse may take. */
export const tooComplex = (why: 'memory' | 'time' = 'memory') =>
  why === 'memory'
    ? fileError('too_complex', 'Tệp quá phức tạp để đọc: việc phân tích vượt quá bộ nhớ cho phép. Hãy chia tệp thành nhiều tệp nhỏ hơn hoặc giảm số đỉnh.', 'The file is too complex to read: parsing it needed more memory than allowed. Split it into smaller files or simplify its geometry.')
    : fileError('too_complex', 'Tệp quá phức tạp để đọc: việc phân tích kéo dài quá thời gian cho phép. Hãy chia tệp thành nhiều tệp nhỏ hơn hoặc giảm số đỉnh.', 'The file is too complex to read: parsing it took longer than allowed. Split it into smaller files or simplify its geometry.');

/** A value as text, for formats that only hold text: lists and objects as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Text from a file → the field's type (the inverse of cellText); validation judges the result. */
export function fromText(field: Pick<Field, 'type'>, text: string): unknown {
  const t = text.trim();
  if (t === '') return null;
  switch (field.type) {
    case 'number':
    case 'integer':
      return Number.isFinite(Number(t)) ? Number(t) : t;
    case 'text[]':
      return t.startsWith('[') ? parseJson(t) : t.split(';').map((s) => s.trim()).filter(Boolean);
    case 'json':
      return parseJson(t);
    default:
      return t;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // left for validation to refuse, with the field named
  }
}
