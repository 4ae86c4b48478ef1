// Zip archives (KMZ, zipped shapefiles): reading with a clear error for broken ones, and
// writing as the files are produced, without holding any of them whole.
import { Readable, pipeline } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import { unzipSync, Zip, type ZipInputFile } from 'fflate';
import { fileError, type FileChunks } from './format.ts';

/** The files of a zip, without folders and macOS resource forks. */
export function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw fileError('bad_zip', `Tệp nén ZIP bị hỏng hoặc không phải ZIP: ${(error as Error).message}`, `The zip archive is broken or not a zip: ${(error as Error).message}`);
  }
  return Object.fromEntries(Object.entries(files).filter(([name]) => !name.endsWith('/') && !name.startsWith('__MACOSX/')));
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
