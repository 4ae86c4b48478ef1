import { crc32 } from 'node:zlib';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { zipStream } from '../../../../server/transfer/formats/zip.ts';

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
