// Heavy work — analyses over whole layers, printing, exports, imports — is admitted per
// class, on top of admission control (load-shedding.ts), which counts every request alike
// and so would let a few expensive ones hold the database or the browser while everyone
// else waits. Per class:
// - at most `concurrency` requests are worked on at once, and the next `queue` wait their
//   turn in arrival order; past that line, 503 + Retry-After at once (a quick refusal
//   keeps the server answering everything else);
// - each caller (signed-in user by id, else address: rate-limit.ts) may start `perMinute`
//   of them, in bursts of up to as many; past that, 429 + Retry-After;
// - a waiting request whose client leaves gives up its place; running work is handed the
//   client-gone signal and stops when it honours it. A slot is freed when the work has
//   really ended, so it counts what is being done, not what is still awaited.
import type { Request, RequestHandler, Response } from 'express';
import { throwIfCancelled } from '../db/adapter.ts';
import { Turns } from '../threads/turns.ts';
import { clientGone } from './client-gone.ts';
import { RetryLaterError, unavailable } from './errors.ts';
import { CallerRate, callerKey } from './rate-limit.ts';

export type HeavyWorkClass = 'analysis' | 'print' | 'export' | 'import';

export type HeavyWorkLimits = {
  /** Requests of the class worked on at once. */
  concurrency: number;
  /** Requests waiting for a turn beyond those; more are answered 503. */
  queue: number;
  /** Requests one caller may start per minute; more are answered 429. */
  perMinute: number;
  /** What a 503 asks the client to wait: about how long the line takes to move. */
  retryAfterSeconds: number;
};

/**
 * The limits of each class, chosen on a 2-core machine (figures in docs/RELIABILITY.md,
 * "Heavy work"). Tests pass smaller ones through createApp's `heavyWork`.
 */
export const HEAVY_WORK_LIMITS: Record<HeavyWorkClass, HeavyWorkLimits> = {
  // One at a time: a large analysis keeps a core (PostgreSQL) or the one embedded
  // session (PGlite) busy for up to a few hundred ms; the line drains within seconds.
  analysis: { concurrency: 1, queue: 8, perMinute: 30, retryAfterSeconds: 2 },
  // Two pages at once, as before; a page takes seconds to render in software.
  print: { concurrency: 2, queue: 4, perMinute: 10, retryAfterSeconds: 10 },
  // Building a large layer's file holds memory and a connection.
  export: { concurrency: 2, queue: 8, perMinute: 30, retryAfterSeconds: 5 },
  // An import writes everything in one transaction.
  import: { concurrency: 1, queue: 4, perMinute: 20, retryAfterSeconds: 10 },
};

const TITLES: Record<HeavyWorkClass, string> = { analysis: 'analyses', print: 'prints', export: 'exports', import: 'imports' };

export type HeavyWorkStats = { running: number; waiting: number; busy: number; limited: number };

export class HeavyWork {
  private readonly rate: CallerRate;
  private readonly turns: Turns;
  private busy = 0;
  private limited = 0;

  constructor(
    private readonly workClass: HeavyWorkClass,
    private readonly limits: HeavyWorkLimits,
    now: () => number = Date.now,
  ) {
    this.rate = new CallerRate(limits.perMinute, now);
    this.turns = new Turns(limits.concurrency);
  }

  /**
   * Runs `work` for this request once the caller's rate and a turn allow, handing it the
   * signal that aborts when the client leaves; throws RetryLaterError (429/503) otherwise,
   * and QueryCancelledError if the client leaves while waiting.
   */
  async run<T>(req: Request, res: Response, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = clientGone(res);
    throwIfCancelled(signal);
    const title = TITLES[this.workClass];
    const key = callerKey(req);
    const seconds = this.rate.wait(key);
    if (seconds > 0) {
      this.limited++;
      throw new RetryLaterError(429, 'too_many_requests', `Too many ${title} from you in a short time (at most ${this.limits.perMinute} a minute); try again in ${seconds} s.`, seconds);
    }
    const { concurrency, queue, retryAfterSeconds } = this.limits;
    if (this.turns.full && this.turns.waiting >= queue) {
      this.busy++;
      throw unavailable('busy', `The server is busy with other ${title} (${concurrency} in progress, ${queue} waiting); try again in ${retryAfterSeconds} s.`, retryAfterSeconds);
    }
    // Only a request that gets a place is counted against its caller.
    this.rate.take(key);
    await this.turns.take(signal);
    try {
      return await work(signal);
    } finally {
      this.turns.release();
    }
  }

  /**
   * In front of a route handler: the slot is held until the response has been sent or
   * abandoned, which covers a handler that streams its answer after it returns.
   */
  readonly middleware: RequestHandler = (req, res, next) => {
    const served = () =>
      new Promise<void>((resolve) => {
        if (res.closed) return resolve();
        res.once('close', () => resolve());
        next();
      });
    this.run(req, res, served).catch(next);
  };

  stats(): HeavyWorkStats {
    return { running: this.turns.running, waiting: this.turns.waiting, busy: this.busy, limited: this.limited };
  }
}

export type HeavyWorkByClass = Record<HeavyWorkClass, HeavyWork>;

/** One limiter per class, with the default limits unless `overrides` says otherwise. */
export function createHeavyWork(overrides: Partial<Record<HeavyWorkClass, Partial<HeavyWorkLimits>>> = {}, now: () => number = Date.now): HeavyWorkByClass {
  const make = (c: HeavyWorkClass) => new HeavyWork(c, { ...HEAVY_WORK_LIMITS[c], ...overrides[c] }, now);
  return { analysis: make('analysis'), print: make('print'), export: make('export'), import: make('import') };
}
