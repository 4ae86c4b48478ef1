import zlib, { crc32 } from 'node:zlib';
import { strToU8, unzipSync, Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ImportFileError } from '../../../../server/transfer/formats/format.ts';
import { openZip, ZIP_LIMITS, zipStream } from '../../../../server/transfer/formats/zip.ts';
import { rawZip, zipBomb } from '../../../../scripts/reliability/hostile-uploads.ts';

const MB = 1024 * 1024;
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes!).toString('utf8');
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    const e = error as ImportFileError;
    // Every refusal says what is wrong in both languages.
    expect(e.text.vi).toMatch(/[^\x00-\x7F]/);
    expect(e.text.en.length).toBeGreaterThan(10);
    return e.code;
  }
  throw new Error('expected a refusal');
};
const readAll = (bytes: Uint8Array, limits = ZIP_LIMITS) => {
  const zip = openZip(bytes, limits);
  return zip.read(zip.names);
};
const stored = (name: string, content: string, zip64 = false) => {
  const data = strToU8(content);
  return { name, method: 0 as const, data, size: data.length, crc: zlib.crc32(data), zip64 };
};
const deflated = (name: string, content: Uint8Array, size = content.length) => ({ name, method: 8 as const, data: zlib.deflateRawSync(content), size, crc: zlib.crc32(content) });

describe('zip archives', () => {
  it('reads deflated and stored entries, leaving out folders and macOS resource forks', () => {
    const bytes = zipSync({ 'doc.kml': strToU8('<kml>ở đây</kml>'), 'files/': new Uint8Array(), 'files/icon.png': [new Uint8Array([1, 2, 3]), { level: 0 }], '__MACOSX/._doc.kml': strToU8('fork') });
    const zip = openZip(bytes);
    expect(zip.names).toEqual(['doc.kml', 'files/icon.png']);
    const files = zip.read(['doc.kml', 'files/icon.png']);
    expect(text(files['doc.kml'])).toBe('<kml>ở đây</kml>');
    expect([...files['files/icon.png']!]).toEqual([1, 2, 3]);
  });

  it('reads streamed archives, whose sizes come after the data (data descriptors)', () => {
    const chunks: Uint8Array[] = [];
    const zip = new Zip((error, chunk) => {
      if (error) throw error;
      chunks.push(chunk);
    });
    const entry = new ZipDeflate('doc.kml');
    zip.add(entry);
    entry.push(strToU8('<kml>streamed</kml>'.repeat(1000)), true);
    zip.end();
    const bytes = Buffer.concat(chunks);
    expect(bytes.readUInt16LE(6) & 8).toBe(8); // really a data descriptor
    expect(text(readAll(bytes)['doc.kml'])).toBe('<kml>streamed</kml>'.repeat(1000));
  });

  it('reads zip64 entries (sizes and offset in the extra field)', () => {
    const files = readAll(rawZip([stored('a.txt', 'first', true), { ...deflated('b.txt', strToU8('second '.repeat(100))), zip64: true }]));
    expect(text(files['a.txt'])).toBe('first');
    expect(text(files['b.txt'])).toBe('second '.repeat(100));
  });

  it('inflates only the entries asked for', () => {
    const bytes = rawZip([stored('doc.kml', '<kml/>'), { ...deflated('photo.jpg', new Uint8Array(4 * MB)) }]);
    const zip = openZip(bytes, { ...ZIP_LIMITS, maxUncompressedBytes: 1 * MB });
    expect(zip.names).toEqual(['doc.kml', 'photo.jpg']);
    expect(Object.keys(zip.read(['doc.kml']))).toEqual(['doc.kml']);
    expect(codeOf(() => zip.read(['photo.jpg']))).toBe('too_large_uncompressed');
  });

  it('refuses a zip bomb (1 MB inflating to 1 GB) on the bytes it inflates', () => {
    const bomb = zipBomb('doc.kml', 1024 * MB);
    expect(bomb.length).toBeLessThan(1.1 * MB);
    const before = process.memoryUsage().arrayBuffers;
    expect(codeOf(() => readAll(bomb))).toBe('too_large_uncompressed');
    // What was inflated before the refusal: the budget, one step past it and the inflater's
    // working buffers — far from the gigabyte the archive expands to.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(ZIP_LIMITS.maxUncompressedBytes + 100 * MB);
  });

  it('counts the bytes actually inflated, not the sizes the archive declares', () => {
    const content = new Uint8Array(3 * MB).fill(0x20);
    const limits = { ...ZIP_LIMITS, maxUncompressedBytes: 2 * MB };
    // Declared small, inflating large: refused.
    expect(codeOf(() => readAll(rawZip([deflated('doc.kml', content, 1000)]), limits))).toBe('too_large_uncompressed');
    // Declared enormous, inflating small: read.
    expect(readAll(rawZip([deflated('doc.kml', content.subarray(0, MB), 0xfffffff0)]), limits)['doc.kml']).toHaveLength(MB);
  });

  it('shares one budget between all entries of an archive', () => {
    const half = new Uint8Array(0.6 * MB);
    const zip = openZip(rawZip([deflated('a.shp', half), deflated('a.dbf', half)]), { ...ZIP_LIMITS, maxUncompressedBytes: 1 * MB });
    expect(zip.read(['a.shp'])['a.shp']).toHaveLength(half.length);
    expect(codeOf(() => zip.read(['a.dbf']))).toBe('too_large_uncompressed');
  });

  it('refuses an archive of more entries than allowed before reading any', () => {
    const many = Object.fromEntries(Array.from({ length: ZIP_LIMITS.maxEntries + 1 }, (_, i) => [`f${i}.txt`, strToU8('x')]));
    expect(codeOf(() => openZip(zipSync(many)))).toBe('too_many_entries');
    delete many['f0.txt'];
    expect(openZip(zipSync(many)).names).toHaveLength(ZIP_LIMITS.maxEntries);
  });

  it.each([
    ['not a zip', () => strToU8('just text')],
    ['a zip cut short', () => zipSync({ 'doc.kml': strToU8('<kml>'.repeat(1000)) }).slice(0, 40)],
    ['corrupt deflate data', () => rawZip([{ name: 'doc.kml', method: 8, data: new Uint8Array([0xff, 0xff, 0xff, 0xff]), size: 10, crc: 0 }])],
    ['an entry past the end of the file', () => rawZip([stored('doc.kml', 'x')]).subarray(0, 30)],
    ['an unknown compression method', () => rawZip([{ ...stored('doc.kml', 'x'), method: 12 as 0 }])],
  ])('says %s is a broken zip', (_what, bytes) => {
    expect(codeOf(() => readAll(bytes()))).toBe('bad_zip');
  });
});

async function bytesOf(chunks: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** Name, CRC-32 and sizes of each entry, as the central directory states them (what unzip tools check). */
function centralDirectory(zip: Buffer) {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const entries: { name: string; crc: number; compressed: number; size: number; method: number }[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressed: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

describe('streaming zip', () => {
  it('writes entries in order, deflated, each with its CRC-32 and size, from chunks of any kind', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `<Placemark id="p-${i}"><name>Thửa ${i}</name></Placemark>\n`);
    async function* lines() {
      for (let i = 0; i < text.length; i += 1000) yield text.slice(i, i + 1000).join('');
    }
    const binary = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
    const zip = await bytesOf(zipStream([
      { name: 'doc.kml', chunks: lines() },
      { name: 'data.bin', chunks: [binary.subarray(0, 100_000), binary.subarray(100_000)] },
      { name: 'empty.txt', chunks: [] },
    ]));
    const expected = { 'doc.kml': Buffer.from(text.join('')), 'data.bin': binary, 'empty.txt': Buffer.alloc(0) };
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(Object.keys(expected));
    for (const [name, content] of Object.entries(expected)) expect(Buffer.from(files[name]!).equals(content), name).toBe(true);
    const entries = centralDirectory(zip);
    for (const e of entries) {
      const content = expected[e.name as keyof typeof expected];
      expect(e).toMatchObject({ method: 8, crc: crc32(content), size: content.length });
    }
    // Text deflates: the KML is a fraction of its size.
    expect(entries[0]!.compressed).toBeLessThan(entries[0]!.size / 4);
  });
});
