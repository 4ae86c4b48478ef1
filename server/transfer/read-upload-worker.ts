// A parse worker's thread (read-upload.ts starts it with a capped heap): reads one
// upload at a time with its format and posts back the features, or the reason the file
// cannot be imported.
import { parentPort } from 'node:worker_threads';
import { ImportFileError, tooComplex } from './formats/format.ts';
import { formatById } from './formats/index.ts';
import { uploadedFeature, type UploadRead } from './uploaded-feature.ts';

export type ParseRequest = { format: string; bytes: Uint8Array };

export type ParseReply = (
  | { ok: true; result: UploadRead }
  | { ok: false; fileError: Pick<ImportFileError, 'code' | 'text'> }
  | { ok: false; message: string }
) & {
  /** What this thread holds after the parse: its heap and its buffers, in bytes. */
  memoryBytes: number;
};

// In a worker, all but rss are this thread's own.
const memoryBytes = () => {
  const { heapTotal, external } = process.memoryUsage();
  return heapTotal + external;
};

function failure(error: unknown): ParseReply {
  // Out of stack (nesting), or past the longest string or array V8 makes: the input's fault.
  const file = error instanceof RangeError ? tooComplex() : error;
  if (file instanceof ImportFileError) return { ok: false, fileError: { code: file.code, text: file.text }, memoryBytes: memoryBytes() };
  return { ok: false, message: String((error as Error)?.stack ?? error), memoryBytes: memoryBytes() };
}

parentPort!.on('message', async ({ format, bytes }: ParseRequest) => {
  try {
    const read = await formatById(format)!.read!(bytes);
    // Inside the try: a geometry nested too deeply to write out throws here.
    const result: UploadRead = { ...read, features: read.features.map(uploadedFeature) };
    parentPort!.postMessage({ ok: true, result, memoryBytes: memoryBytes() } satisfies ParseReply);
  } catch (error) {
    parentPort!.postMessage(failure(error));
  }
});
