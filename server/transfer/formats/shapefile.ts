// Zipped ESRI Shapefile: .shp/.shx/.dbf, the .prj honoured on import (reprojected by
// PostGIS), .cpg for the text encoding. dBASE limits names to 10 characters and text to
// 254 bytes: longer values travel whole in <layer>.attributes.json beside them, which an
// import reads back, so the round trip loses nothing.
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as shapefileReader from 'shapefile';
import type { Geometry } from '../../features/changes.ts';
import type { Field } from '../../layers/tables.ts';
import { cellText, fileError, MAX_IMPORT_FEATURES, tooManyFeatures, type ExportRow, type FileChunks, type FileFormat, type ImportedFeature, type RowPages } from './format.ts';
import { openZip, zipStream } from './zip.ts';

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
  zipped: true,
  async *write(pages, context) {
    const name = context.layer.id;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lsgis-shapefile-'));
    try {
      const parts = await spool(pages, [{ name: 'id', type: 'text' } as Field, ...context.fields], dir);
      yield* zipStream([
        { name: `${name}.shp`, chunks: parts.shp },
        { name: `${name}.shx`, chunks: parts.shx },
        { name: `${name}.dbf`, chunks: parts.dbf },
        { name: `${name}.prj`, chunks: [WGS84_PRJ] },
        { name: `${name}.cpg`, chunks: ['UTF-8'] },
        ...(parts.sidecar ? [{ name: `${name}${SIDECAR}`, chunks: parts.sidecar }] : []),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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

// --- writing: the headers of .shp, .shx and .dbf need the record count, the extent and
// the column widths, known only after the last row. The parts go to temporary files as
// the rows arrive (memory stays bounded), then into the zip, headers first.

/** A temporary file written a page at a time, then read back in chunks. */
class Spool {
  private pending: Buffer[] = [];

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(file: string): Promise<Spool> {
    return new Spool(file, await open(file, 'w'));
  }

  add(bytes: Buffer): void {
    this.pending.push(bytes);
  }

  async flush(): Promise<void> {
    if (this.pending.length) await this.handle.write(Buffer.concat(this.pending));
    this.pending = [];
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  read(): AsyncIterable<Buffer> {
    return createReadStream(this.file, { highWaterMark: 256 * 1024 });
  }
}

type SpooledShapefile = { shp: FileChunks; shx: FileChunks; dbf: FileChunks; sidecar: FileChunks | null };

async function spool(pages: RowPages, fields: readonly Field[], dir: string): Promise<SpooledShapefile> {
  const files = await Promise.all(['shp', 'shx', 'cells', 'sidecar'].map((n) => Spool.open(path.join(dir, n))));
  const [shp, shx, cells, sidecar] = files as [Spool, Spool, Spool, Spool];
  try {
    const shapes = new ShapeWriter(shp, shx);
    const table = new DbfWriter(fields, cells, sidecar);
    for await (const rows of pages) {
      for (const row of rows) {
        shapes.add(row.geometry);
        table.add(row);
      }
      await Promise.all(files.map((f) => f.flush()));
    }
    table.end();
    await sidecar.flush();
    return {
      shp: shapes.shp(),
      shx: shapes.shx(),
      dbf: table.dbf(),
      sidecar: table.hasSidecar ? sidecar.read() : null,
    };
  } finally {
    await Promise.all(files.map((f) => f.close()));
  }
}

// --- .shp/.shx (ESRI Shapefile Technical Description, July 1998) ---

const SHAPE_TYPES: Record<string, number> = { Point: 1, LineString: 3, MultiLineString: 3, Polygon: 5, MultiPolygon: 5 };

class ShapeWriter {
  private type: number | undefined;
  private count = 0;
  /** Bytes of .shp so far, its 100-byte header included. */
  private length = 100;
  private readonly box = [Infinity, Infinity, -Infinity, -Infinity];

  constructor(
    private readonly shpRecords: Spool,
    private readonly shxRecords: Spool,
  ) {}

  add(g: Geometry): void {
    this.type ??= SHAPE_TYPES[g.type]!;
    const content = g.type === 'Point' ? pointRecord(g.coordinates as number[]) : partsRecord(this.type, parts(g));
    const words = content.length / 2;
    const head = Buffer.alloc(8);
    head.writeInt32BE(++this.count, 0);
    head.writeInt32BE(words, 4);
    const index = Buffer.alloc(8);
    index.writeInt32BE(this.length / 2, 0);
    index.writeInt32BE(words, 4);
    this.shpRecords.add(head);
    this.shpRecords.add(content);
    this.shxRecords.add(index);
    this.length += 8 + content.length;
    // A record's box is at bytes 4–36 of its content; a point (x at 4, y at 12) is its own box.
    const [minX, minY, maxX, maxY] = (g.type === 'Point' ? [4, 12, 4, 12] : [4, 12, 20, 28]).map((at) => content.readDoubleLE(at)) as [number, number, number, number];
    this.box[0] = Math.min(this.box[0]!, minX);
    this.box[1] = Math.min(this.box[1]!, minY);
    this.box[2] = Math.max(this.box[2]!, maxX);
    this.box[3] = Math.max(this.box[3]!, maxY);
  }

  shp(): FileChunks {
    return withHeader(this.header(this.length), this.shpRecords);
  }

  shx(): FileChunks {
    return withHeader(this.header(100 + 8 * this.count), this.shxRecords);
  }

  private header(length: number): Buffer {
    const buffer = Buffer.alloc(100);
    buffer.writeInt32BE(9994, 0);
    buffer.writeInt32BE(length / 2, 24);
    buffer.writeInt32LE(1000, 28);
    buffer.writeInt32LE(this.type ?? 1, 32);
    const box = this.count ? this.box : [0, 0, 0, 0];
    box.forEach((v, i) => buffer.writeDoubleLE(v, 36 + 8 * i));
    return buffer;
  }
}

async function* withHeader(header: Buffer, body: Spool): FileChunks {
  yield header;
  yield* body.read();
}

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

function pointRecord([x, y]: number[]): Buffer {
  const b = Buffer.alloc(20);
  b.writeInt32LE(1, 0);
  b.writeDoubleLE(x!, 4);
  b.writeDoubleLE(y!, 12);
  return b;
}

function partsRecord(type: number, lines: number[][][]): Buffer {
  let count = 0;
  for (const line of lines) count += line.length;
  const b = Buffer.alloc(44 + 4 * lines.length + 16 * count);
  b.writeInt32LE(type, 0);
  b.writeInt32LE(lines.length, 36);
  b.writeInt32LE(count, 40);
  // Bounds by a loop: spreading a million coordinates into Math.min overflows the stack.
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  let at = 44 + 4 * lines.length;
  let start = 0;
  lines.forEach((line, i) => {
    b.writeInt32LE(start, 44 + 4 * i);
    start += line.length;
    for (const [x, y] of line) {
      b.writeDoubleLE(x!, at);
      b.writeDoubleLE(y!, at + 8);
      at += 16;
      if (x! < minX) minX = x!;
      if (x! > maxX) maxX = x!;
      if (y! < minY) minY = y!;
      if (y! > maxY) maxY = y!;
    }
  });
  [minX, minY, maxX, maxY].forEach((v, i) => b.writeDoubleLE(v, 4 + 8 * i));
  return b;
}

// --- .dbf (dBASE III), UTF-8 text as declared in the .cpg ---

const NUMBER_WIDTH = 20;

type Column = { name: string; type: 'C' | 'N'; length: number; decimals: number; field: Field };

/**
 * Rows become cells in a temporary file (a length byte, then at most 254 bytes), while
 * the widest value of each text column is noted; values too long for dBASE are cut
 * there and kept whole in the sidecar.
 */
class DbfWriter {
  private readonly columns: Column[];
  private count = 0;
  hasSidecar = false;

  constructor(
    fields: readonly Field[],
    private readonly cells: Spool,
    private readonly sidecar: Spool,
  ) {
    const names = dbfNames(fields.map((f) => f.name));
    this.columns = fields.map((field) => {
      const name = names.get(field.name)!;
      if (field.type === 'number' || field.type === 'integer') return { name, type: 'N', length: NUMBER_WIDTH, decimals: field.type === 'number' ? 6 : 0, field };
      return { name, type: 'C', length: 1, decimals: 0, field };
    });
  }

  add(row: ExportRow): void {
    let long: Record<string, unknown> | undefined;
    const values = this.columns.map((c) => {
      const value = c.field.name === 'id' ? row.id : row.properties[c.field.name];
      const bytes = Buffer.from(cellText(value));
      const limit = c.type === 'N' ? NUMBER_WIDTH : MAX_TEXT_BYTES;
      if (bytes.length <= limit) {
        if (bytes.length > c.length) c.length = bytes.length;
        return bytes;
      }
      (long ??= {})[c.field.name] = value;
      c.length = limit;
      return cutUtf8(bytes, limit);
    });
    let size = 0;
    for (const v of values) size += 1 + v.length;
    const record = Buffer.alloc(size);
    let at = 0;
    for (const v of values) {
      record[at] = v.length;
      v.copy(record, at + 1);
      at += 1 + v.length;
    }
    this.cells.add(record);
    this.count++;
    if (long) {
      this.sidecar.add(Buffer.from(`${this.hasSidecar ? ',' : '{'}${JSON.stringify(row.id)}:${JSON.stringify(long)}`));
      this.hasSidecar = true;
    }
  }

  end(): void {
    if (this.hasSidecar) this.sidecar.add(Buffer.from('}'));
  }

  async *dbf(): FileChunks {
    const recordLength = 1 + this.columns.reduce((n, c) => n + c.length, 0);
    yield this.header(recordLength);
    let rest: Buffer = Buffer.alloc(0);
    for await (const chunk of this.cells.read()) {
      const bytes = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      // Records whose cells are all in this chunk; the remainder waits for the next one.
      const starts: number[] = [];
      let at = 0;
      for (let end = this.recordEnd(bytes, at); end > 0; end = this.recordEnd(bytes, at)) {
        starts.push(at);
        at = end;
      }
      rest = bytes.subarray(at);
      if (starts.length) yield this.records(bytes, starts, recordLength);
    }
    yield Buffer.from([0x1a]);
  }

  /** Where the record starting at `at` ends, or -1 if it does not end within the bytes. */
  private recordEnd(bytes: Buffer, at: number): number {
    let end = at;
    for (let c = 0; c < this.columns.length; c++) {
      if (end >= bytes.length) return -1;
      end += 1 + bytes[end]!;
    }
    return end <= bytes.length ? end : -1;
  }

  private records(bytes: Buffer, starts: number[], recordLength: number): Buffer {
    const out = Buffer.alloc(recordLength * starts.length, 0x20);
    starts.forEach((start, r) => {
      let from = start;
      let to = r * recordLength + 1;
      for (const c of this.columns) {
        const length = bytes[from]!;
        const value = bytes.subarray(from + 1, from + 1 + length);
        // Numbers are right-aligned, text left-aligned.
        value.copy(out, c.type === 'N' ? to + c.length - length : to);
        from += 1 + length;
        to += c.length;
      }
    });
    return out;
  }

  private header(recordLength: number): Buffer {
    const headerLength = 32 + 32 * this.columns.length + 1;
    const header = Buffer.alloc(headerLength);
    const today = new Date();
    header.writeUInt8(0x03, 0);
    header.writeUInt8(today.getUTCFullYear() - 1900, 1);
    header.writeUInt8(today.getUTCMonth() + 1, 2);
    header.writeUInt8(today.getUTCDate(), 3);
    header.writeUInt32LE(this.count, 4);
    header.writeUInt16LE(headerLength, 8);
    header.writeUInt16LE(recordLength, 10);
    this.columns.forEach((c, i) => {
      const at = 32 + 32 * i;
      header.write(c.name, at, 'ascii');
      header.write(c.type, at + 11, 'ascii');
      header.writeUInt8(c.length, at + 16);
      header.writeUInt8(c.decimals, at + 17);
    });
    header.writeUInt8(0x0d, headerLength - 1);
    return header;
  }
}

/** At most `max` bytes, not cutting a UTF-8 character in two. */
function cutUtf8(bytes: Buffer, max: number): Buffer {
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
