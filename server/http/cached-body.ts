// A response body prepared once and served many times: its ETag, and a gzip copy
// made once instead of on every request.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback, gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

export type CachedBody = {
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  contentType: string;
};

const GZIP_MIN_BYTES = 1024;
// Larger bodies are gzipped in libuv's thread pool and hashed in slices with turns of
// the event loop between them: done at once, a 400 MB layer held every request for
// seconds. Below this, the synchronous work takes about a millisecond.
const INLINE_BYTES = 64 * 1024;
const HASH_SLICE_BYTES = 1024 * 1024;
const gzipAsync = promisify(gzipCallback);

/** `gzipLevel`: 6 for text served many times; 1 for bodies rebuilt often (tiles after edits). */
export async function prepareBody(content: string | Uint8Array, contentType: string, gzipLevel = 6): Promise<CachedBody> {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const [hash, gzip] =
    body.length <= INLINE_BYTES
      ? [createHash('sha1').update(body).digest('base64url'), body.length >= GZIP_MIN_BYTES ? gzipSync(body, { level: gzipLevel }) : null]
      : await Promise.all([hashInSlices(body), gzipAsync(body, { level: gzipLevel })]);
  // Weak: the same entity whether sent gzipped or not.
  return { body, gzip, etag: `W/"${hash}"`, contentType };
}

async function hashInSlices(body: Buffer): Promise<string> {
  const hash = createHash('sha1');
  for (let at = 0; at < body.length; at += HASH_SLICE_BYTES) {
    hash.update(body.subarray(at, at + HASH_SLICE_BYTES));
    await new Promise(setImmediate);
  }
  return hash.digest('base64url');
}

/**
 * Sends a prepared body, or 304 Not Modified when If-None-Match names its ETag, or
 * 204 No Content when the body is empty (an empty vector tile).
 */
export function sendCached(req: Request, res: Response, entry: CachedBody, cacheControl: string): void {
  res.setHeader('ETag', entry.etag);
  res.setHeader('Cache-Control', cacheControl);
  // Every prepared body is for an audience (public or signed-in staff): it varies with the cookie.
  res.setHeader('Vary', 'Accept-Encoding, Cookie');
  if (ifNoneMatchMatches(req.headers['if-none-match'], entry.etag)) {
    res.status(304).end();
    return;
  }
  if (!entry.body.length) {
    res.status(204).end();
    return;
  }
  // Written directly: this is the hot path, and Express's res.send would hash and
  // inspect a body that is already prepared.
  const gzip = entry.gzip && acceptsGzip(req.headers['accept-encoding']);
  const body = gzip ? entry.gzip! : entry.body;
  res.setHeader('Content-Type', entry.contentType);
  res.setHeader('Content-Length', body.length);
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : body);
}

// Enough of RFC 9110 §12.5.3 for our purpose: gzip listed and not refused with q=0.
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

// RFC 9110 §13.1.2: weak comparison, a list of tags or "*". Unlike Express's
// req.fresh, a request's own "Cache-Control: no-cache" (which fetch() adds to any
// conditional request) does not stop the origin from answering 304.
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** A small LRU map bounded by entry count and total bytes. */
export class BodyCache<V extends { body: Buffer; gzip: Buffer | null }> {
  private readonly entries = new Map<string, V>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 500,
    private readonly maxBytes = 128 * 1024 * 1024,
  ) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    // What cannot fit is not kept: it would only push every other entry out.
    if (size(value) > this.maxBytes) return;
    this.entries.set(key, value);
    this.bytes += size(value);
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= size(old);
  }
}

const size = (v: { body: Buffer; gzip: Buffer | null }) => v.body.length + (v.gzip?.length ?? 0);

export type RevisionedBody = CachedBody & { revision: string };

/**
 * Prepared bodies filed under a key and the revision of the data they were built from.
 * Callers read the revision *before* the data: a body can then only be filed under an
 * older revision than its data (costing one rebuild), never a newer one.
 */
export class RevisionedBodies {
  private readonly cache: BodyCache<RevisionedBody>;
  // Builds under way: concurrent misses of one key share one build (a popular tile
  // after an edit is built once, not once per waiting client).
  private readonly building = new Map<string, Promise<RevisionedBody>>();
  private readonly gzipLevel: number | undefined;

  constructor({ maxEntries, maxBytes, gzipLevel }: { maxEntries?: number; maxBytes?: number; gzipLevel?: number } = {}) {
    this.cache = new BodyCache(maxEntries, maxBytes);
    this.gzipLevel = gzipLevel;
  }

  /** The body filed under the key for this revision, if there is one. */
  peek(key: string, revision: string): RevisionedBody | undefined {
    const hit = this.cache.get(key);
    return hit?.revision === revision ? hit : undefined;
  }

  get(key: string, revision: string, contentType: string, build: () => Promise<string | Uint8Array>): Promise<RevisionedBody> {
    const hit = this.peek(key, revision);
    if (hit) return Promise.resolve(hit);
    const flight = `${key}\u0000${revision}`;
    let pending = this.building.get(flight);
    if (!pending) {
      pending = build()
        .then(async (content) => {
          const entry: RevisionedBody = { ...(await prepareBody(content, contentType, this.gzipLevel)), revision };
          this.cache.set(key, entry);
          return entry;
        })
        .finally(() => this.building.delete(flight));
      this.building.set(flight, pending);
    }
    return pending;
  }
}
