// Zip archives (KMZ, zipped shapefiles): reading with a clear error for broken ones, and
// writing as the files are produced, without holding any of them whole.
import { unzipSync, Zip, ZipDeflate } from 'fflate';
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

// fflate deflates on the calling thread: input goes in in slices this size, and what
// they make is handed on between slices, so no slice holds the event loop for long.
const SLICE_BYTES = 64 * 1024;

/** A zip archive of the entries, one after another, each deflated as its chunks arrive. */
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
    const file = new ZipDeflate(entry.name, { level: 6 });
    zip.add(file);
    for await (const chunk of entry.chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
        file.push(bytes.subarray(at, at + SLICE_BYTES));
        yield* take();
      }
    }
    file.push(new Uint8Array(0), true);
    yield* take();
  }
  zip.end();
  yield* take();
}
