// Rates per caller: a signed-in user by their id, anyone else by address. A token bucket
// per caller holds `perMinute` tokens, refilled continuously; each counted request takes
// one, and an empty bucket is a 429 with Retry-After.
//
// Writes (any method but GET/HEAD/OPTIONS) have one rate: a person editing, even quickly,
// stays far below the default; a runaway script or a stolen session is slowed down.
// Sign-in guessing has its own, stricter throttle in the database (auth/login.ts). Heavy
// public work (analysis, print, export, import) has a rate per class (heavy-work.ts).
//
// The buckets live in this process: behind a load balancer each instance counts its
// own, so the limit is per instance. That is enough to protect the database from one
// caller; it is not an accounting of requests.
import type { Request, RequestHandler } from 'express';
import { RetryLaterError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Above this many callers, buckets that have refilled completely (idle callers) are dropped. */
const SWEEP_ABOVE = 10_000;

type Bucket = { tokens: number; at: number };

/** Who is counted: the signed-in user, else the address. */
export const callerKey = (req: Request) => (req.user ? `user:${req.user.id}` : `address:${req.ip ?? 'unknown'}`);

export class CallerRate {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Seconds until this caller has a token again; 0 when it has one now. Takes nothing. */
  wait(key: string): number {
    const bucket = this.bucket(key);
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / this.perMs / 1000);
  }

  take(key: string): void {
    this.bucket(key).tokens -= 1;
  }

  private bucket(key: string): Bucket {
    const t = this.now();
    if (this.buckets.size > SWEEP_ABOVE) {
      for (const [k, b] of this.buckets) if (this.refilled(b, t) >= this.perMinute) this.buckets.delete(k);
    }
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: t };
    bucket.tokens = this.refilled(bucket, t);
    bucket.at = t;
    this.buckets.set(key, bucket);
    return bucket;
  }

  private refilled(bucket: Bucket, t: number): number {
    return Math.min(this.perMinute, bucket.tokens + (t - bucket.at) * this.perMs);
  }
}

export function writeRateLimit(perMinute: number, now: () => number = Date.now): RequestHandler {
  const rate = new CallerRate(perMinute, now);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const key = callerKey(req);
    const seconds = rate.wait(key);
    if (seconds > 0) {
      throw new RetryLaterError(429, 'too_many_writes', `Too many changes in a short time (at most ${perMinute} a minute); try again in ${seconds} s.`, seconds);
    }
    rate.take(key);
    next();
  };
}
