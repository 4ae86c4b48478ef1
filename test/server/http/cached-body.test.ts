import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, BodyCache, ifNoneMatchMatches, prepareBody } from '../../../server/http/cached-body.ts';

describe('prepared bodies', () => {
  it('has a weak ETag that depends on the bytes only', () => {
    const a = prepareBody('{"a":1}', 'application/json');
    expect(a.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(prepareBody('{"a":1}', 'application/geo+json').etag).toBe(a.etag);
    expect(prepareBody('{"a":2}', 'application/json').etag).not.toBe(a.etag);
  });

  it('keeps a gzip copy of bodies worth compressing', () => {
    expect(prepareBody('small', 'text/plain').gzip).toBeNull();
    const big = 'x'.repeat(5000);
    expect(gunzipSync(prepareBody(big, 'text/plain').gzip!).toString()).toBe(big);
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
