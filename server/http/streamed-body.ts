// Responses written as they are produced (exports, layers too large to hold): chunks are
// pulled one at a time, so a slow reader holds back the producer (backpressure), and
// gzipped on the way by a zlib stream, which compresses in libuv's thread pool, off the
// event loop.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { QueryCancelledError } from '../db/adapter.ts';
import { acceptsGzip, ifNoneMatchMatches } from './cached-body.ts';
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

/** A body produced anew for every request, its ETag known before it is produced. */
export type StreamedBody = {
  etag: string;
  contentType: string;
  /** Starts producing: what may fail early (the database) fails before this resolves. */
  open(signal: AbortSignal): Promise<AsyncIterable<Uint8Array | string>>;
};

/**
 * A weak ETag for a body that is a deterministic function of its key (the request and
 * audience) and the revision of the data, so no bytes need hashing. Revisions are the
 * database's (table_revisions): every server on the database gives the same tag.
 */
export function revisionEtag(key: string, revision: string): string {
  return `W/"r${revision}-${createHash('sha1').update(key).digest('base64url')}"`;
}

/** Sends a streamed body, or 304 Not Modified when If-None-Match names its ETag. */
export async function sendStreamed(req: Request, res: Response, body: StreamedBody, cacheControl: string): Promise<void> {
  res.setHeader('ETag', body.etag);
  res.setHeader('Cache-Control', cacheControl);
  // Bodies are for an audience (public or signed-in staff): they vary with the cookie.
  res.vary('Cookie');
  if (ifNoneMatchMatches(req.headers['if-none-match'], body.etag)) {
    res.status(304).end();
    return;
  }
  const chunks = await body.open(clientGone(res));
  res.setHeader('Content-Type', body.contentType);
  await sendStream(req, res, chunks, { compress: true });
}
