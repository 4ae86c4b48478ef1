// Zip archives (KMZ, zipped shapefiles).
// Reading, within a budget: the central directory says what the archive holds; only the
// entries a format asks for are inflated, a few kilobytes of compressed data at a time,
// counting the bytes actually produced — the sizes an archive declares can lie — so a zip
// bomb is refused once it passes the budget instead of being expanded whole. Broken
// archives get a clear error.
// Writing, as the files are produced, without holding any of them whole (zipStream).
import { Readable, pipeline } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import { Inflate, strFromU8, Zip, type ZipInputFile } from 'fflate';
import { fileError, ImportFileError, type FileChunks } from './format.ts';

const MB = 1024 * 1024;

export type ZipLimits = { maxEntries: number; maxUncompressedBytes: number };

export const ZIP_LIMITS: ZipLimits = {
  // A shapefile has up to ~8 parts and a KMZ its KML plus icons and photos.
  maxEntries: 1_000,
  // The largest shapefile a 50 MB upload carries inflates to ~130 MB, and a KML of
  // ~145 MB still parses within the parse worker's heap (read-upload.ts); one of 190 MB
  // does not, after half a minute: past this, refusing at once is the kinder answer.
  maxUncompressedBytes: 150 * MB,
};

/**
 * Compressed bytes inflated per step. Deflate expands at most ~1032×, so one step
 * produces at most ~16 MB: the most the budget can be overshot by before it is checked.
 */
const STEP = 16 * 1024;

export type ZipArchive = {
  /** The files in it, without folders and macOS resource forks. */
  names: string[];
  /** The named files' contents; all reads of one archive share its one budget. */
  read(names: readonly string[]): Record<string, Uint8Array>;
};

type Entry = { name: string; flags: number; method: number; compressedSize: number; localOffset: number };

const badZip = (why: string) => fileError('bad_zip', `Tệp nén ZIP bị hỏng hoặc không phải ZIP: ${why}`, `The zip archive is broken or not a zip: ${why}`);

export function openZip(bytes: Uint8Array, limits: ZipLimits = ZIP_LIMITS): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = centralDirectory(view, limits).filter((e) => !e.name.endsWith('/') && !e.name.startsWith('__MACOSX/'));
  let inflated = 0;
  const count = (n: number) => {
    inflated += n;
    if (inflated > limits.maxUncompressedBytes) {
      const mb = Math.round(limits.maxUncompressedBytes / MB);
      throw fileError('too_large_uncompressed', `Tệp nén giải nén ra hơn ${mb} MB: quá lớn để nhập. Hãy chia nhỏ dữ liệu.`, `The archive expands to more than ${mb} MB: too large to import. Split the data into smaller files.`);
    }
  };
  return {
    names: entries.map((e) => e.name),
    read(names) {
      const files: Record<string, Uint8Array> = {};
      for (const entry of entries) if (names.includes(entry.name)) files[entry.name] = inflate(view, entry, count);
      return files;
    },
  };
}

// ZIP File Format Specification (PKWARE APPNOTE 6.3): end of central directory, its
// zip64 variant, central directory headers with their zip64 extra field.
function centralDirectory(view: DataView, limits: ZipLimits): Entry[] {
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
  const inside = (at: number, length: number) => at >= 0 && at + length <= view.byteLength;
  // The end record is the last 22 bytes, unless an archive comment (≤ 64 KB) follows it.
  let end = -1;
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (u32(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw badZip('no end of central directory');
  let total = u16(end + 10);
  let offset = u32(end + 16);
  if ((total === 0xffff || offset === 0xffffffff) && inside(end - 20, 20) && u32(end - 20) === 0x07064b50) {
    const end64 = u64(end - 12);
    if (!inside(end64, 56) || u32(end64) !== 0x06064b50) throw badZip('bad zip64 end of central directory');
    total = u64(end64 + 32);
    offset = u64(end64 + 48);
  }
  if (total > limits.maxEntries) {
    throw fileError('too_many_entries', `Tệp nén có ${total} tệp bên trong, nhiều hơn mức cho phép (${limits.maxEntries}).`, `The archive holds ${total} files, more than allowed (${limits.maxEntries}).`);
  }
  const entries: Entry[] = [];
  for (let i = 0, at = offset; i < total; i++) {
    if (!inside(at, 46) || u32(at) !== 0x02014b50) throw badZip('bad central directory');
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    if (!inside(at + 46, nameLength + extraLength)) throw badZip('bad central directory');
    const flags = u16(at + 8);
    // Bit 11: the name is UTF-8; otherwise it is in the old DOS code page (read as Latin-1, as fflate does).
    const name = strFromU8(new Uint8Array(view.buffer, view.byteOffset + at + 46, nameLength), !(flags & 0x800));
    let compressedSize = u32(at + 20);
    let localOffset = u32(at + 42);
    // Zip64: a field at 0xFFFFFFFF is in the extra field 0x0001, in the order uncompressed, compressed, offset.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; x += 4 + u16(x + 2)) {
      if (u16(x) !== 0x0001) continue;
      let field = x + 4;
      if (u32(at + 24) === 0xffffffff) field += 8;
      if (compressedSize === 0xffffffff && inside(field, 8)) {
        compressedSize = u64(field);
        field += 8;
      }
      if (localOffset === 0xffffffff && inside(field, 8)) localOffset = u64(field);
    }
    entries.push({ name, flags, method: u16(at + 10), compressedSize, localOffset });
    at += 46 + nameLength + extraLength + u16(at + 32);
  }
  return entries;
}

function inflate(view: DataView, entry: Entry, count: (n: number) => void): Uint8Array {
  const at = entry.localOffset;
  if (at + 30 > view.byteLength || view.getUint32(at, true) !== 0x04034b50) throw badZip(`bad local header for ${entry.name}`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > view.byteLength) throw badZip(`${entry.name} is cut short`);
  if (entry.flags & 1) throw badZip(`${entry.name} is encrypted`);
  const data = new Uint8Array(view.buffer, view.byteOffset + start, entry.compressedSize);
  if (entry.method === 0) {
    count(data.length);
    return data;
  }
  if (entry.method !== 8) throw badZip(`${entry.name} uses compression method ${entry.method} (only stored and deflate are read)`);
  const chunks: Uint8Array[] = [];
  const inflater = new Inflate((chunk) => {
    count(chunk.length);
    chunks.push(chunk);
  });
  try {
    for (let from = 0; from < data.length || from === 0; from += STEP) inflater.push(data.subarray(from, from + STEP), from + STEP >= data.length);
  } catch (error) {
    if (error instanceof ImportFileError) throw error; // the budget, from count()
    throw badZip(`${entry.name}: ${(error as Error).message}`);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export type ZipEntry = { name: string; chunks: FileChunks | Iterable<Uint8Array | string> };

/**
 * A zip archive of the entries, one after another, each deflated as its chunks arrive.
 * fflate writes the archive (headers, data descriptors, central directory); zlib deflates
 * in libuv's thread pool. fflate's own ZipDeflate deflates on the calling thread, ~25 MB/s
 * here: most of a KMZ export's time, all of it on the event loop.
 */
export async function* zipStream(entries: Iterable<ZipEntry>): FileChunks {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, data) => {
    if (error) failure = error;
    else out.push(data);
  });
  const take = () => {
    if (failure) throw failure;
    return out.splice(0);
  };
  for (const entry of entries) {
    // Size and CRC go in the data descriptor after the data: known once it has passed.
    const file: ZipInputFile = { filename: entry.name, compression: 8, size: 0, crc: 0 };
    zip.add(file);
    const measured = async function* () {
      for await (const chunk of entry.chunks) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        file.crc = crc32(bytes, file.crc);
        file.size += bytes.length;
        yield bytes;
      }
    };
    const deflated = pipeline(Readable.from(measured(), { objectMode: false }), createDeflateRaw({ level: 6 }), () => {});
    for await (const data of deflated) {
      file.ondata!(null, data as Uint8Array<ArrayBuffer>, false);
      yield* take();
    }
    file.ondata!(null, new Uint8Array(0), true);
    yield* take();
  }
  zip.end();
  yield* take();
}
