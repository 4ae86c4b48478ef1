import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { RetryLaterError } from '../../../server/http/errors.ts';
import { writeRateLimit } from '../../../server/http/rate-limit.ts';

// Runs the middleware on a bare request: undefined when let through, else the refusal.
const attempt = (limit: ReturnType<typeof writeRateLimit>, req: Partial<Request>) => {
  let passed = false;
  try {
    limit(req as Request, {} as never, () => (passed = true));
  } catch (error) {
    return error as RetryLaterError;
  }
  expect(passed).toBe(true);
  return undefined;
};

describe('write rate limit', () => {
  const alice = { method: 'PATCH', user: { id: 1, username: 'alice', role: 'editor' as const }, ip: '10.0.0.1' };
  const bob = { method: 'POST', user: { id: 2, username: 'bob', role: 'editor' as const }, ip: '10.0.0.1' };

  it('lets a caller make the allowed writes, then answers 429 with the seconds until the next', () => {
    let now = 0;
    const limit = writeRateLimit(6, () => now);
    for (let i = 0; i < 6; i++) expect(attempt(limit, alice)).toBeUndefined();
    const refused = attempt(limit, alice)!;
    expect(refused).toBeInstanceOf(RetryLaterError);
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('too_many_writes');
    expect(refused.retryAfterSeconds).toBe(10); // 6 a minute: one every 10 s
    now += 10_000;
    expect(attempt(limit, alice)).toBeUndefined();
    expect(attempt(limit, alice)).toBeDefined();
  });

  it('counts each user apart, the signed-out by address, and never reads', () => {
    const limit = writeRateLimit(2, () => 0);
    attempt(limit, alice);
    attempt(limit, alice);
    expect(attempt(limit, alice)).toBeDefined();
    expect(attempt(limit, bob)).toBeUndefined(); // same address, other user
    for (let i = 0; i < 10; i++) expect(attempt(limit, { ...alice, method: 'GET' })).toBeUndefined();
    const anonymous = { method: 'POST', ip: '10.0.0.9' };
    attempt(limit, anonymous);
    attempt(limit, anonymous);
    expect(attempt(limit, anonymous)).toBeDefined();
    expect(attempt(limit, { method: 'POST', ip: '10.0.0.10' })).toBeUndefined();
  });
});
