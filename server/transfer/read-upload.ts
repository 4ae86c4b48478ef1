// Reading an uploaded file off the request thread. Formats parse synchronously (JSON.parse,
// a DOM of the KML, shapefile records): on the request thread a large file stalled every
// other request, and its garbage grew the server's heap for good. Here each parse runs in
// a worker thread (read-upload-worker.ts) whose V8 heap is capped: a parse that needs
// more dies alone and is refused as too_complex, and the worker is replaced. Workers are
// kept warm, as starting one under tsx costs ~0.5 s, and leave after a while idle (or at
// once after a parse that grew them) to give their memory back. At most `workers` parses
// run at once and `maxQueued` wait; past that the answer is 503 + Retry-After. A parse
// whose requester leaves is stopped at once.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { QueryCancelledError, throwIfCancelled } from '../db/adapter.ts';
import { RetryLaterError } from '../http/errors.ts';
import { spawnWorker } from '../threads/spawn.ts';
import { Turns } from '../threads/turns.ts';
import { ImportFileError, tooComplex, type FileFormat } from './formats/format.ts';
import type { ParseReply, ParseRequest } from './read-upload-worker.ts';
import type { UploadRead } from './uploaded-feature.ts';

export type UploadReaderOptions = {
  /** Parses at once, each in its own worker thread. */
  workers: number;
  /** Parses waiting for a worker; more are refused with 503. */
  maxQueued: number;
  /** Each worker's V8 old-generation heap, MB. */
  maxOldGenerationSizeMb: number;
  /** A worker idle this long exits. */
  idleMs: number;
  /** A parse running this long is stopped (its worker terminated) and refused as too_complex. */
  timeoutMs: number;
};

export const UPLOAD_READER_DEFAULTS: UploadReaderOptions = {
  // One core stays with the request thread (and the embedded database's worker); at
  // most two parses at once, as each may take its whole heap.
  workers: Math.max(1, Math.min(2, os.availableParallelism() - 1)),
  // Typical files parse in well under a second, the largest in 10–30 s: a few waiting
  // absorb an editor's burst of previews without holding many 50 MB bodies.
  maxQueued: 4,
  // The largest valid uploads need it: our own KML export of 10,000 zones (25 fields
  // each, 15 MB; xmldom's DOM takes ~60× the text) failed at 768 MB and parsed at 1,024;
  // a shapefile of 8 million vertices in a 48 MB zip needs 768; a 50 MB GeoJSON < 256.
  maxOldGenerationSizeMb: 1024,
  idleMs: 60_000,
  // The largest valid uploads parse in 10–30 s; one near the heap limit spends a minute in
  // garbage collection before it fails, holding a slot all the while.
  timeoutMs: 60_000,
};

/**
 * A worker that holds more than this after a parse (heap and buffers) is replaced rather
 * than kept: an idle thread collects no garbage, and after the largest shapefile one held
 * 1.7 GB until it exited. Measured after a parse: a 10,000-point GeoJSON 46 MB, a
 * 10,000-placemark KML 162 MB (kept, warm); a refused zip bomb 238 MB, the largest
 * shapefile 800 MB (replaced, the next parse pays ~0.5 s for a fresh worker).
 */
const KEEP_BYTES = 192 * 1024 * 1024;

/** Seconds a refused upload is asked to wait: about one large parse. */
const RETRY_AFTER_SECONDS = 5;

export class UploadReader {
  private readonly options: UploadReaderOptions;
  private readonly idle = new Map<Worker, NodeJS.Timeout>();
  private readonly turns: Turns;

  constructor(options: Partial<UploadReaderOptions> = {}) {
    this.options = { ...UPLOAD_READER_DEFAULTS, ...options };
    this.turns = new Turns(this.options.workers);
  }

  /**
   * What `format.read(bytes)` returns, read in a worker, each geometry as text
   * (uploaded-feature.ts). Throws the format's ImportFileError, too_complex when the parse
   * outgrows its heap, 503 when too many parses wait, and QueryCancelledError as soon as
   * the signal aborts. `handOver`: the caller is done with the bytes, and the memory they
   * own moves to the worker instead of being copied (50 MB less at the peak); they are
   * unusable here afterwards.
   */
  async read(format: FileFormat, bytes: Uint8Array, signal?: AbortSignal, { handOver = false } = {}): Promise<UploadRead> {
    await this.turn(signal);
    try {
      throwIfCancelled(signal); // it may have aborted just as the turn came
      // Only memory the bytes own whole can move: a slice of a shared pool must be copied.
      const movable = handOver && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      return await this.parse({ format: format.id, bytes }, signal, movable ? [bytes.buffer as ArrayBuffer] : []);
    } finally {
      this.turns.release();
    }
  }

  /** Stops every idle worker (parses in progress finish first). */
  async close(): Promise<void> {
    const workers = [...this.idle.keys()];
    for (const [, timer] of this.idle) clearTimeout(timer);
    this.idle.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private async turn(signal: AbortSignal | undefined): Promise<void> {
    throwIfCancelled(signal);
    if (this.turns.full && this.turns.waiting >= this.options.maxQueued) {
      throw new RetryLaterError(503, 'import_busy', `${this.turns.running} files are being read and ${this.turns.waiting} are waiting; try again in a few seconds.`, RETRY_AFTER_SECONDS, {
        message: { vi: 'Máy chủ đang đọc nhiều tệp khác; hãy thử lại sau vài giây.', en: 'The server is reading other files; try again in a few seconds.' },
      });
    }
    await this.turns.take(signal);
  }

  private parse(request: ParseRequest, signal: AbortSignal | undefined, transfer: ArrayBuffer[]): Promise<UploadRead> {
    const worker = this.takeWorker();
    return new Promise<UploadRead>((resolve, reject) => {
      const timer = setTimeout(() => {
        finish(false);
        reject(tooComplex('time'));
      }, this.options.timeoutMs);
      const finish = (keep: boolean) => {
        clearTimeout(timer);
        worker.off('message', onReply).off('error', onError).off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        if (keep) this.park(worker);
        else worker.terminate().catch(() => {});
      };
      const onReply = (reply: ParseReply) => {
        finish(reply.memoryBytes <= KEEP_BYTES);
        if (reply.ok) resolve(reply.result);
        else if ('fileError' in reply) reject(new ImportFileError(reply.fileError.code, reply.fileError.text));
        else reject(new Error(`parsing the upload failed: ${reply.message}`));
      };
      const onError = (error: Error & { code?: string }) => {
        finish(false);
        reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooComplex() : error);
      };
      const onExit = (code: number) => {
        finish(false);
        reject(new Error(`the parse worker exited (${code})`));
      };
      const onAbort = () => {
        finish(false);
        reject(new QueryCancelledError());
      };
      worker.on('message', onReply).on('error', onError).on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.ref(); // a parse in progress keeps the process alive; an idle worker does not
      worker.postMessage(request, transfer);
    });
  }

  private takeWorker(): Worker {
    const [warm] = this.idle;
    if (warm) {
      clearTimeout(warm[1]);
      this.idle.delete(warm[0]);
      return warm[0];
    }
    const worker = spawnWorker(new URL('./read-upload-worker.ts', import.meta.url), null, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb } });
    // An idle worker that fails leaves the pool; without a listener its error would be thrown.
    worker.on('error', () => {}).on('exit', () => {
      clearTimeout(this.idle.get(worker));
      this.idle.delete(worker);
    });
    return worker;
  }

  private park(worker: Worker): void {
    worker.unref();
    const timer = setTimeout(() => {
      this.idle.delete(worker);
      worker.terminate().catch(() => {});
    }, this.options.idleMs);
    timer.unref();
    this.idle.set(worker, timer);
  }
}

/** The server's one reader of uploads. */
export const uploadReader = new UploadReader();
