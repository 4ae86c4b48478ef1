// Writes are rate-limited per caller: a signed-in user by their id, anyone else by
// address. A token bucket per caller holds `perMinute` tokens, refilled continuously;
// each write (any method but GET/HEAD/OPTIONS) takes one, and an empty bucket is a 429
// with Retry-After. A person editing, even quickly, stays far below the default; a
// runaway script or a stolen session is slowed down. Sign-in guessing has its own,
// stricter throttle in the database (auth/login.ts).
//
// The buckets live in this process: behind a load balancer each instance counts its
// own, so the limit is per instance. That is enough to protect the database from one
// caller; it is not an accounting of writes.
import type { RequestHandler } from 'express';
import { RetryLaterError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Above this many callers, buckets that have refilled completely (idle callers) are dropped. */
const SWEEP_ABOVE = 10_000;

type Bucket = { tokens: number; at: number };

export function writeRateLimit(perMinute: number, now: () => number = Date.now): RequestHandler {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  const refilled = (bucket: Bucket, t: number) => Math.min(perMinute, bucket.tokens + (t - bucket.at) * perMs);

  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const t = now();
    if (buckets.size > SWEEP_ABOVE) {
      for (const [key, bucket] of buckets) if (refilled(bucket, t) >= perMinute) buckets.delete(key);
    }
    const key = req.user ? `user:${req.user.id}` : `address:${req.ip ?? 'unknown'}`;
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: t };
    bucket.tokens = refilled(bucket, t);
    bucket.at = t;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const seconds = Math.ceil((1 - bucket.tokens) / perMs / 1000);
      throw new RetryLaterError(429, 'too_many_writes', `Too many changes in a short time (at most ${perMinute} a minute); try again in ${seconds} s.`, seconds);
    }
    bucket.tokens -= 1;
    next();
  };
}
