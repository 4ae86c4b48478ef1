import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, BodyCache, ifNoneMatchMatches, prepareBody } from '../../../server/http/cached-body.ts';

describe('prepared bodies', () => {
  it('has a weak ETag that depends on the bytes only', async () => {
    const a = await prepareBody('{"a":1}', 'application/json');
    expect(a.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect((await prepareBody('{"a":1}', 'application/geo+json')).etag).toBe(a.etag);
    expect((await prepareBody('{"a":2}', 'application/json')).etag).not.toBe(a.etag);
  });

  it('keeps a gzip copy of bodies worth compressing', async () => {
    expect((await prepareBody('small', 'text/plain')).gzip).toBeNull();
    const big = 'x'.repeat(5000);
    expect(gunzipSync((await prepareBody(big, 'text/plain')).gzip!).toString()).toBe(big);
  });

  it('hashes and gzips a large body (prepared off the event loop) the same way', async () => {
    // 3 MB: hashed over several slices, gzipped in the thread pool.
    const large = Array.from({ length: 60_000 }, (_, i) => `{"id":${i},"name":"thửa ${i}"}`).join(',');
    const prepared = await prepareBody(large, 'application/json');
    const sha1 = createHash('sha1').update(Buffer.from(large)).digest('base64url');
    expect(prepared.etag).toBe(`W/"${sha1}"`);
    expect(gunzipSync(prepared.gzip!).toString()).toBe(large);
  });
});

describe('If-None-Match', () => {
  const etag = 'W/"abc"';
  it.each([
    ['W/"abc"', true],
    ['"abc"', true],
    ['"x", W/"abc"', true],
    ['*', true],
    ['"abd"', false],
    [undefined, false],
    ['', false],
  ])('%j matches: %s', (header, expected) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(expected);
  });
});

describe('BodyCache', () => {
  const entry = (bytes: number) => ({ body: Buffer.alloc(bytes), gzip: null });

  it('evicts the least recently used entry beyond its entry limit', () => {
    const cache = new BodyCache(2);
    cache.set('a', entry(1));
    cache.set('b', entry(1));
    cache.get('a');
    cache.set('c', entry(1));
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('does not keep an entry larger than its whole budget, nor drop the others for it', () => {
    const cache = new BodyCache(100, 10);
    cache.set('a', entry(6));
    cache.set('huge', entry(11));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
  });

  it('stays within its byte budget', () => {
    const cache = new BodyCache(100, 10);
    cache.set('a', entry(6));
    cache.set('b', entry(6));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
  });
});

describe('Accept-Encoding', () => {
  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['*', true],
    ['gzip;q=0', false],
    ['identity', false],
    ['deflate', false],
    [undefined, false],
  ])('%j accepts gzip: %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
