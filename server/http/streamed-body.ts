// Responses written as they are produced (exports, layers too large to hold): chunks are
// pulled one at a time, so a slow reader holds back the producer (backpressure), and
// gzipped on the way by a zlib stream, which compresses in libuv's thread pool, off the
// event loop.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { QueryCancelledError } from '../db/adapter.ts';
import { acceptsGzip } from './cached-body.ts';
import { clientGone } from './client-gone.ts';

const GZIP_LEVEL = 6;

/**
 * Sends the chunks as a 200 response (gzipped when `compress` and the client accepts
 * it). Headers go out at once: some producers work a while before their first byte.
 * A client that leaves ends it with QueryCancelledError; a failure after the headers
 * were sent cuts the response short, so the client cannot mistake it for the whole.
 */
export async function sendStream(req: Request, res: Response, chunks: AsyncIterable<Uint8Array | string>, { compress }: { compress: boolean }): Promise<void> {
  const gone = clientGone(res);
  const gzip = compress && acceptsGzip(req.headers['accept-encoding']);
  if (compress) res.vary('Accept-Encoding');
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.status(200);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.flushHeaders();
  const source = Readable.from(chunks, { objectMode: false });
  try {
    if (gzip) await pipeline(source, createGzip({ level: GZIP_LEVEL }), res);
    else await pipeline(source, res);
  } catch (error) {
    if (gone.aborted) throw new QueryCancelledError();
    throw error;
  }
}
