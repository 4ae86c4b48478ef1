// Uploads built to hurt a parser: zip bombs and archives no library writes, files with
// far more features than an import takes, files that take a parser's heap, and valid
// files as large as an import takes. Shared by the tests (test/server/transfer/) and
// the parse benchmark (scripts/bench/parse.ts).
import zlib from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import type { Geometry } from '../../server/features/changes.ts';
import { layers } from '../../server/layers/registry.ts';
import type { ExportRow, FileChunks, RowPages } from '../../server/transfer/formats/format.ts';
import { kml } from '../../server/transfer/formats/kml.ts';
import { shapefile } from '../../server/transfer/formats/shapefile.ts';

const MB = 1024 * 1024;

export type RawZipEntry = {
  name: string;
  /** 0 stored, 8 deflate: `data` is then raw deflate. */
  method: 0 | 8;
  data: Uint8Array;
  /** Uncompressed size and CRC-32 as declared (a bomb may declare anything). */
  size: number;
  crc: number;
  /** Sizes and offset in the zip64 extra field instead of the header. */
  zip64?: boolean;
};

/** A zip written field by field (APPNOTE 6.3), for archives no library writes: bombs, zip64. */
export function rawZip(entries: readonly RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(e.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 name
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const extra = Buffer.alloc(e.zip64 ? 28 : 0);
    if (e.zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(e.size), 4);
      extra.writeBigUInt64LE(BigInt(e.data.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.zip64 ? 45 : 20, 4);
    central.writeUInt16LE(e.zip64 ? 45 : 20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.zip64 ? 0xffffffff : e.data.length, 20);
    central.writeUInt32LE(e.zip64 ? 0xffffffff : e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(e.zip64 ? 0xffffffff : offset, 42);
    locals.push(local, name, Buffer.from(e.data));
    centrals.push(central, name, extra);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * A zip whose one entry, `name`, inflates to `size` bytes of spaces (a multiple of 16 MB)
 * from about size/1000 compressed: a zip bomb, built without ever holding `size` bytes.
 */
export function zipBomb(name: string, size: number): Buffer {
  const piece = Buffer.alloc(16 * MB, 0x20);
  // A full flush ends the compressed piece on a byte boundary and with no reference to
  // earlier data, so copies of it in a row are one valid deflate stream.
  const block = zlib.deflateRawSync(piece, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const last = zlib.deflateRawSync(Buffer.alloc(0));
  const copies = Math.ceil(size / piece.length);
  let crc = 0;
  for (let i = 0; i < copies; i++) crc = zlib.crc32(piece, crc);
  const data = Buffer.concat([...Array.from({ length: copies }, () => block), last]);
  return rawZip([{ name, method: 8, data, size: copies * piece.length, crc }]);
}

const lonLat = (i: number): [number, number] => [106.3 + (i % 1000) * 0.0007, 21.5 + Math.floor(i / 1000) * 0.0007];

/** A KML of `count` point placemarks with a name and two data fields each. */
export function placemarksKml(count: number): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'];
  for (let i = 0; i < count; i++) {
    const [lon, lat] = lonLat(i);
    out.push(
      `<Placemark><name>Điểm ${i}</name><ExtendedData><Data name="status"><value>planned</value></Data><Data name="notes"><value>Ghi chú ${i}</value></Data></ExtendedData>` +
        `<Point><coordinates>${lon.toFixed(6)},${lat.toFixed(6)}</coordinates></Point></Placemark>`,
    );
  }
  out.push('</Document></kml>');
  return out.join('\n');
}

/** A KMZ of `count` identical placemarks: 200,000 of them compress to about 60 KB. */
export function placemarksKmz(count: number): Uint8Array {
  const placemark = '<Placemark><Point><coordinates>106.5,21.6</coordinates></Point></Placemark>\n';
  const kml = `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n${placemark.repeat(count)}</Document></kml>`;
  return zipSync({ 'doc.kml': strToU8(kml) }, { level: 9 });
}

const pointFeature = (i: number) => ({
  type: 'Feature' as const,
  id: `p-${i}`,
  properties: { name_vi: `Điểm ${i}`, name_en: `Point ${i}`, status: 'planned', sources: ['SEED-001'], source_date: '2025-12-01', accuracy: 'surveyed', notes: `Ghi chú về điểm số ${i}, dùng để đo tốc độ đọc tệp.` },
  geometry: { type: 'Point' as const, coordinates: lonLat(i) },
});

/** A GeoJSON FeatureCollection of `count` points with a few properties each (10,000 ≈ 3 MB). */
export function pointsGeoJson(count: number): string {
  return JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: count }, (_, i) => pointFeature(i)) });
}

/** A CSV of `count` points as lon/lat columns. */
export function pointsCsv(count: number): string {
  const rows = Array.from({ length: count }, (_, i) => `p-${i},Điểm ${i},${lonLat(i).join(',')}`);
  return ['id,name_vi,lon,lat', ...rows].join('\n') + '\n';
}

/** A file written by one of our formats from one page of rows. */
async function written(chunks: FileChunks): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

async function* onePage(rows: ExportRow[]): RowPages {
  yield rows;
}

/** Our own KML export of `count` small industrial clusters, every field of the layer filled. */
export async function zonesKml(count: number): Promise<string> {
  const layer = layers.find((l) => l.id === 'industrial_clusters')!;
  const fields = layer.table.fields;
  const rows = Array.from({ length: count }, (_, i) => {
    const [lon, lat] = lonLat(i);
    const ring = [[lon, lat], [lon + 0.0005, lat], [lon + 0.0005, lat + 0.0005], [lon, lat + 0.0005], [lon, lat]];
    const properties = Object.fromEntries(fields.map((f) => [f.name, f.type === 'number' || f.type === 'integer' ? i : `Cụm ${i} ${f.name}`]));
    return { id: `ccn-${i}`, properties, geometry: { type: 'Polygon', coordinates: [ring] } as Geometry, wkt: '' };
  });
  return (await written(kml.write!(onePage(rows), { layer, fields }))).toString('utf8');
}

/** A zipped shapefile of `count` points, written by our own export. */
export async function pointsShapefile(count: number): Promise<Uint8Array> {
  const layer = layers.find((l) => l.geometryType === 'Point')!;
  const rows = Array.from({ length: count }, (_, i) => ({ id: `p-${i}`, properties: {}, geometry: { type: 'Point', coordinates: lonLat(i) } as Geometry, wkt: '' }));
  return new Uint8Array(await written(shapefile.write!(onePage(rows), { layer, fields: [] })));
}

/**
 * A GeoJSON of one point whose coordinates are `pairs` two-number arrays: a few bytes
 * of text each, but an object each once parsed — it takes a parser's heap, not its time.
 */
export function heapHogGeoJson(pairs: number): string {
  return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[${'[1,2],'.repeat(pairs - 1)}[1,2]]}}]}`;
}
