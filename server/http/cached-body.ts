// A response body prepared once and served many times: its ETag, and a gzip copy
// made once instead of on every request.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

export type CachedBody = {
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  contentType: string;
};

const GZIP_MIN_BYTES = 1024;

export function prepareBody(text: string, contentType: string): CachedBody {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha1').update(body).digest('base64url');
  return {
    body,
    gzip: body.length >= GZIP_MIN_BYTES ? gzipSync(body, { level: 6 }) : null,
    // Weak: the same entity whether sent gzipped or not.
    etag: `W/"${hash}"`,
    contentType,
  };
}

/** Sends a prepared body; Express answers 304 itself when If-None-Match matches. */
export function sendCached(req: Request, res: Response, entry: CachedBody, cacheControl: string): void {
  res.setHeader('ETag', entry.etag);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  res.type(entry.contentType);
  if (entry.gzip && req.acceptsEncodings('gzip', 'identity') === 'gzip' && !req.fresh) {
    res.setHeader('Content-Encoding', 'gzip');
    res.send(entry.gzip);
    return;
  }
  res.send(entry.body);
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
