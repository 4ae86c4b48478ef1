// Reading zip archives (KMZ, zipped shapefiles) with a clear error for broken ones.
import { unzipSync } from 'fflate';
import { fileError } from './format.ts';

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
