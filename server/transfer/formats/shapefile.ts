// Zipped ESRI Shapefile: .shp/.shx/.dbf, the .prj honoured on import (reprojected by
// PostGIS), .cpg for the text encoding. dBASE limits names to 10 characters and text to
// 254 bytes: longer values travel whole in <layer>.attributes.json beside them, which an
// import reads back, so the round trip loses nothing.
import { strToU8, zipSync } from 'fflate';
import * as shapefileReader from 'shapefile';
import type { Geometry } from '../../features/changes.ts';
import type { Field } from '../../layers/tables.ts';
import { cellText, fileError, MAX_IMPORT_FEATURES, tooManyFeatures, type ExportRow, type FileFormat, type ImportedFeature } from './format.ts';
import { openZip } from './zip.ts';

/** WGS 84 longitude/latitude, as ESRI writes it. */
export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
export const SIDECAR = '.attributes.json';
const MAX_TEXT_BYTES = 254;

/**
 * dBASE columns for field names: the first 10 characters, and where two names would
 * meet (full_name_vi, full_name_en), the later one ends in a number instead.
 */
export function dbfNames(names: readonly string[]): Map<string, string> {
  const columns = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    let column = name.slice(0, 10);
    for (let n = 2; used.has(column); n++) column = `${name.slice(0, 10 - String(n).length - 1)}_${n}`;
    used.add(column);
    columns.set(name, column);
  }
  return columns;
}

export const shapefile: FileFormat = {
  id: 'shapefile',
  title: { vi: 'Shapefile (nén ZIP)', en: 'Shapefile (zipped)' },
  extensions: ['.zip'],
  contentType: 'application/zip',
  async read(bytes) {
    const zip = openZip(bytes);
    const find = (base: string, ext: string) => zip.names.find((n) => n.toLowerCase() === `${base}${ext}`);
    const shps = zip.names.filter((n) => n.toLowerCase().endsWith('.shp'));
    if (!shps.length) throw fileError('no_shapefile', 'Tệp ZIP không chứa tệp .shp nào.', 'The zip holds no .shp file.');
    if (shps.length > 1) throw fileError('several_shapefiles', `Tệp ZIP chứa ${shps.length} lớp (.shp); hãy nhập từng lớp một.`, `The zip holds ${shps.length} layers (.shp); import one at a time.`);
    const shp = shps[0]!;
    const base = shp.toLowerCase().slice(0, -4);
    const dbf = find(base, '.dbf');
    if (!dbf) throw fileError('missing_shapefile_part', 'Thiếu tệp .dbf (thuộc tính) đi kèm .shp.', 'The .dbf (attributes) that goes with the .shp is missing.');
    const prj = find(base, '.prj');
    const cpg = find(base, '.cpg');
    const sidecar = zip.names.find((n) => n.toLowerCase().endsWith(SIDECAR));
    // Only the parts read below are inflated (not the .shx, .sbn, .xml, …).
    const files = zip.read([shp, dbf, prj, cpg, sidecar].filter((n) => n !== undefined));
    const text = (name: string) => new TextDecoder().decode(files[name]).trim();
    const encoding = (cpg && text(cpg)) || 'utf-8';
    const full = sidecar ? readSidecar(text(sidecar)) : {};
    const bad = (error: unknown) => fileError('bad_shapefile', `Không đọc được Shapefile: ${(error as Error).message}`, `The shapefile cannot be read: ${(error as Error).message}`);
    let source: shapefileReader.Source<GeoJSON.Feature>;
    try {
      source = await shapefileReader.open(files[shp]!, files[dbf]!, { encoding });
    } catch (error) {
      throw bad(error);
    }
    // Record by record, so that a file with too many stops at the first one past the cap.
    const features: ImportedFeature[] = [];
    for (;;) {
      let record: { done: boolean; value: GeoJSON.Feature };
      try {
        record = await source.read();
      } catch (error) {
        throw bad(error);
      }
      if (record.done) break;
      if (features.length === MAX_IMPORT_FEATURES) throw tooManyFeatures();
      const properties: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record.value.properties ?? {})) properties[key] = value instanceof Date ? value.toISOString().slice(0, 10) : value;
      const id = properties.id === null || properties.id === undefined ? undefined : String(properties.id);
      Object.assign(properties, (id && full[id]) ?? {});
      features.push({ ref: `record ${features.length + 1}`, ...(id ? { id } : {}), properties, geometry: record.value.geometry });
    }
    if (prj) return { features, sourceCrs: text(prj), textValues: true, warnings: [] };
    if (!features.every((f) => looksLikeLonLat(f.geometry as Geometry | null))) {
      throw fileError('missing_prj', 'Thiếu tệp .prj và tọa độ không phải kinh độ, vĩ độ: không biết hệ tọa độ. Hãy gửi kèm tệp .prj.', 'No .prj, and the coordinates are not longitude/latitude: the coordinate system is unknown. Include the .prj file.');
    }
    return { features, textValues: true, warnings: [{ vi: 'Không có tệp .prj: tọa độ được hiểu là WGS 84 (kinh độ, vĩ độ).', en: 'No .prj: coordinates read as WGS 84 longitude/latitude.' }] };
  },
  write(rows, context) {
    const name = context.layer.id;
    const { dbf, truncated } = writeDbf(rows, [{ name: 'id', type: 'text' } as Field, ...context.fields]);
    const { shp, shx } = writeShp(rows.map((r) => r.geometry));
    const files: Record<string, Uint8Array> = {
      [`${name}.shp`]: shp,
      [`${name}.shx`]: shx,
      [`${name}.dbf`]: dbf,
      [`${name}.prj`]: strToU8(WGS84_PRJ),
      [`${name}.cpg`]: strToU8('UTF-8'),
    };
    if (Object.keys(truncated).length) files[`${name}${SIDECAR}`] = strToU8(JSON.stringify(truncated));
    return zipSync(files);
  },
};

/** The sidecar of long values: `{ "<id>": { "<field>": value } }`, written by our export. */
function readSidecar(text: string): Record<string, Record<string, unknown>> {
  const broken = () => fileError('bad_shapefile', `Tệp ${SIDECAR} (giá trị dài của Shapefile) bị hỏng: cần một đối tượng JSON theo mã đối tượng.`, `The ${SIDECAR} file (the shapefile's long values) is broken: it must be a JSON object keyed by feature id.`);
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw broken();
  }
  if (!isObject(value) || !Object.values(value).every(isObject)) throw broken();
  return value as Record<string, Record<string, unknown>>;
}

function looksLikeLonLat(geometry: Geometry | null): boolean {
  const values = JSON.stringify(geometry?.coordinates ?? []).match(/-?\d+(\.\d+)?(e-?\d+)?/g)?.map(Number) ?? [];
  return values.every((v) => Math.abs(v) <= 180);
}

// --- writing .shp/.shx (ESRI Shapefile Technical Description, July 1998) ---

const SHAPE_TYPES: Record<string, number> = { Point: 1, LineString: 3, MultiLineString: 3, Polygon: 5, MultiPolygon: 5 };

function parts(g: Geometry): number[][][] {
  const c = g.coordinates as never;
  switch (g.type) {
    case 'LineString':
      return [c];
    case 'MultiLineString':
      return c;
    // Shapefile outer rings run clockwise, GeoJSON's (RFC 7946) counter-clockwise: reverse them all.
    case 'Polygon':
      return (c as number[][][]).map((r) => [...r].reverse());
    case 'MultiPolygon':
      return (c as number[][][][]).flat().map((r) => [...r].reverse());
    default:
      throw new Error(`Shapefile export of ${g.type} is not supported`);
  }
}

function writeShp(geometries: Geometry[]): { shp: Uint8Array; shx: Uint8Array } {
  const type = geometries.length ? SHAPE_TYPES[geometries[0]!.type]! : 1;
  const records = geometries.map((g) => (g.type === 'Point' ? pointRecord(g.coordinates as number[]) : partsRecord(type, parts(g))));
  const box = bounds(geometries.flatMap((g) => (g.type === 'Point' ? [g.coordinates as number[]] : parts(g).flat())));
  const shpLength = 100 + records.reduce((n, r) => n + 8 + r.length, 0);
  const shp = Buffer.alloc(shpLength);
  const shx = Buffer.alloc(100 + 8 * records.length);
  for (const [buffer, length] of [[shp, shpLength], [shx, shx.length]] as const) header(buffer, length, type, box);
  let offset = 100;
  records.forEach((record, i) => {
    shx.writeInt32BE(offset / 2, 100 + 8 * i);
    shx.writeInt32BE(record.length / 2, 104 + 8 * i);
    shp.writeInt32BE(i + 1, offset);
    shp.writeInt32BE(record.length / 2, offset + 4);
    record.copy(shp, offset + 8);
    offset += 8 + record.length;
  });
  return { shp, shx };
}

function header(buffer: Buffer, length: number, type: number, [minX, minY, maxX, maxY]: number[]) {
  buffer.writeInt32BE(9994, 0);
  buffer.writeInt32BE(length / 2, 24);
  buffer.writeInt32LE(1000, 28);
  buffer.writeInt32LE(type, 32);
  [minX, minY, maxX, maxY].forEach((v, i) => buffer.writeDoubleLE(v!, 36 + 8 * i));
}

function bounds(points: number[][]): number[] {
  if (!points.length) return [0, 0, 0, 0];
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function pointRecord([x, y]: number[]): Buffer {
  const b = Buffer.alloc(20);
  b.writeInt32LE(1, 0);
  b.writeDoubleLE(x!, 4);
  b.writeDoubleLE(y!, 12);
  return b;
}

function partsRecord(type: number, lines: number[][][]): Buffer {
  const points = lines.flat();
  const b = Buffer.alloc(44 + 4 * lines.length + 16 * points.length);
  b.writeInt32LE(type, 0);
  bounds(points).forEach((v, i) => b.writeDoubleLE(v, 4 + 8 * i));
  b.writeInt32LE(lines.length, 36);
  b.writeInt32LE(points.length, 40);
  let start = 0;
  lines.forEach((line, i) => {
    b.writeInt32LE(start, 44 + 4 * i);
    start += line.length;
  });
  const at = 44 + 4 * lines.length;
  points.forEach(([x, y], i) => {
    b.writeDoubleLE(x!, at + 16 * i);
    b.writeDoubleLE(y!, at + 16 * i + 8);
  });
  return b;
}

// --- writing .dbf (dBASE III), UTF-8 text as declared in the .cpg ---

type Column = { name: string; type: 'C' | 'N'; length: number; decimals: number; field: Field };

function writeDbf(rows: ExportRow[], fields: readonly Field[]): { dbf: Uint8Array; truncated: Record<string, Record<string, unknown>> } {
  const truncated: Record<string, Record<string, unknown>> = {};
  const value = (row: ExportRow, field: Field) => (field.name === 'id' ? row.id : row.properties[field.name]);
  const names = dbfNames(fields.map((f) => f.name));
  const columns: Column[] = fields.map((field) => {
    const name = names.get(field.name)!;
    if (field.type === 'number' || field.type === 'integer') return { name, type: 'N', length: 20, decimals: field.type === 'number' ? 6 : 0, field };
    const longest = Math.max(1, ...rows.map((r) => Buffer.byteLength(cellText(value(r, field)))));
    return { name, type: 'C', length: Math.min(MAX_TEXT_BYTES, longest), decimals: 0, field };
  });
  const recordLength = 1 + columns.reduce((n, c) => n + c.length, 0);
  const headerLength = 32 + 32 * columns.length + 1;
  const dbf = Buffer.alloc(headerLength + recordLength * rows.length + 1, 0x20);
  dbf.fill(0, 0, headerLength);
  const today = new Date();
  dbf.writeUInt8(0x03, 0);
  dbf.writeUInt8(today.getUTCFullYear() - 1900, 1);
  dbf.writeUInt8(today.getUTCMonth() + 1, 2);
  dbf.writeUInt8(today.getUTCDate(), 3);
  dbf.writeUInt32LE(rows.length, 4);
  dbf.writeUInt16LE(headerLength, 8);
  dbf.writeUInt16LE(recordLength, 10);
  columns.forEach((c, i) => {
    const at = 32 + 32 * i;
    dbf.write(c.name, at, 'ascii');
    dbf.write(c.type, at + 11, 'ascii');
    dbf.writeUInt8(c.length, at + 16);
    dbf.writeUInt8(c.decimals, at + 17);
  });
  dbf.writeUInt8(0x0d, headerLength - 1);
  rows.forEach((row, r) => {
    let at = headerLength + r * recordLength + 1;
    for (const c of columns) {
      const v = value(row, c.field);
      const text = v === null || v === undefined ? '' : cellText(v);
      const bytes = Buffer.from(text);
      if (bytes.length > c.length) {
        (truncated[row.id] ??= {})[c.field.name] = v;
        cutUtf8(bytes, c.length).copy(dbf, at);
      } else if (c.type === 'N') {
        bytes.copy(dbf, at + c.length - bytes.length);
      } else {
        bytes.copy(dbf, at);
      }
      at += c.length;
    }
  });
  dbf.writeUInt8(0x1a, dbf.length - 1);
  return { dbf, truncated };
}

/** At most `max` bytes, not cutting a UTF-8 character in two. */
function cutUtf8(bytes: Buffer, max: number): Buffer {
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
