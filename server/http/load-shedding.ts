// Admission control: at most `maxInFlight` requests are handled at once; the next
// `maxQueued` wait their turn in arrival order for at most `queueTimeoutMs`. Anything
// beyond is answered at once with 503 + Retry-After, which costs almost nothing, so an
// overloaded server keeps answering (and stays within its memory) instead of letting
// every request slow down until clients time out. The database pool has its own, smaller
// bound (DB_POOL_MAX); requests past it wait inside the pool.
import type { RequestHandler } from 'express';
import { unavailable } from './errors.ts';

export type AdmissionLimits = { maxInFlight: number; maxQueued: number; queueTimeoutMs: number };

/** Seconds a shed client is asked to wait: the queue turns over within about that. */
const RETRY_AFTER_SECONDS = 1;

export type LoadShedding = RequestHandler & {
  /** Requests being handled and waiting now; total shed since start. */
  stats(): { inFlight: number; queued: number; shed: number };
};

export function loadShedding({ maxInFlight, maxQueued, queueTimeoutMs }: AdmissionLimits): LoadShedding {
  let inFlight = 0;
  let shed = 0;
  const queue = new Set<() => void>(); // insertion order = arrival order

  const overloaded = (why: string) => {
    shed++;
    return unavailable('overloaded', `The server is busy (${why}); try again shortly.`, RETRY_AFTER_SECONDS);
  };

  const release = () => {
    const [next] = queue;
    if (next) {
      queue.delete(next);
      next(); // the slot passes straight to the oldest waiting request
    } else inFlight--;
  };

  const middleware: RequestHandler = (_req, res, next) => {
    // 'close' comes once per response: sent, failed or abandoned by the client.
    const admit = () => {
      res.once('close', release);
      next();
    };
    if (inFlight < maxInFlight) {
      inFlight++;
      admit();
      return;
    }
    if (queue.size >= maxQueued) {
      next(overloaded(`${maxInFlight} requests in progress and ${maxQueued} waiting`));
      return;
    }
    const timer = setTimeout(() => {
      queue.delete(turn);
      res.off('close', gone);
      next(overloaded(`no turn within ${queueTimeoutMs} ms`));
    }, queueTimeoutMs);
    const turn = () => {
      clearTimeout(timer);
      res.off('close', gone);
      admit();
    };
    // A client that leaves while waiting gives up its place.
    const gone = () => {
      clearTimeout(timer);
      queue.delete(turn);
    };
    queue.add(turn);
    res.once('close', gone);
  };

  return Object.assign(middleware, { stats: () => ({ inFlight, queued: queue.size, shed }) });
}
