import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { QueryCancelledError } from '../../../server/db/adapter.ts';
import { RetryLaterError } from '../../../server/http/errors.ts';
import { HeavyWork, type HeavyWorkLimits } from '../../../server/http/heavy-work.ts';

/** A response whose client can leave: 'close' before the answer was sent. */
const response = () => Object.assign(new EventEmitter(), { writableFinished: false, closed: false }) as unknown as Response & { emit(e: 'close'): boolean; closed: boolean };
/** The answer was sent in full. */
const finish = (res: ReturnType<typeof response>) => {
  Object.assign(res, { writableFinished: true, closed: true });
  res.emit('close');
};
const from = (ip: string, userId?: number) => ({ ip, user: userId === undefined ? undefined : { id: userId, username: `u${userId}`, role: 'editor' } }) as unknown as Request;

/** Work that runs until its `finish` is called; records the signal it was given. */
function pending() {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const state = { started: false, signal: undefined as AbortSignal | undefined };
  const promise = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const work = (signal: AbortSignal) => {
    state.started = true;
    state.signal = signal;
    return promise;
  };
  return { work, finish, fail, state };
}

const limits = (l: Partial<HeavyWorkLimits>): HeavyWorkLimits => ({ concurrency: 1, queue: 1, perMinute: 100, retryAfterSeconds: 7, ...l });
const tick = () => new Promise((r) => setImmediate(r));
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    return error as RetryLaterError;
  }
  throw new Error('expected a refusal');
};

describe('heavy work limiter', () => {
  it('works on `concurrency` at once, lines up `queue` more, refuses the next at once with 503 + Retry-After', async () => {
    const heavy = new HeavyWork('analysis', limits({ concurrency: 2, queue: 1 }));
    const [a, b, c] = [pending(), pending(), pending()];
    const runA = heavy.run(from('10.0.0.1'), response(), a.work);
    const runB = heavy.run(from('10.0.0.2'), response(), b.work);
    const runC = heavy.run(from('10.0.0.3'), response(), c.work);
    await tick();
    expect([a.state.started, b.state.started, c.state.started]).toEqual([true, true, false]);
    expect(heavy.stats()).toMatchObject({ running: 2, waiting: 1 });
    const refused = await refusal(heavy.run(from('10.0.0.4'), response(), async () => 'never'));
    expect(refused).toBeInstanceOf(RetryLaterError);
    expect(refused.status).toBe(503);
    expect(refused.code).toBe('busy');
    expect(refused.retryAfterSeconds).toBe(7);
    expect(refused.detail).toMatch(/busy with other analyses \(2 in progress, 1 waiting\); try again in 7 s/);
    expect(heavy.stats().busy).toBe(1);
    // A finished slot passes to the waiting request.
    a.finish('a');
    expect(await runA).toBe('a');
    await tick();
    expect(c.state.started).toBe(true);
    b.finish('b');
    c.finish('c');
    expect([await runB, await runC]).toEqual(['b', 'c']);
    expect(heavy.stats()).toMatchObject({ running: 0, waiting: 0 });
  });

  it('answers 429 with the seconds until the next turn, per caller: users by id, the signed-out by address', async () => {
    let now = 0;
    const heavy = new HeavyWork('print', limits({ concurrency: 10, queue: 0, perMinute: 3 }), () => now);
    const ok = async () => 'done';
    for (let i = 0; i < 3; i++) expect(await heavy.run(from('10.0.0.1'), response(), ok)).toBe('done');
    const refused = await refusal(heavy.run(from('10.0.0.1'), response(), ok));
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('too_many_requests');
    expect(refused.retryAfterSeconds).toBe(20); // 3 a minute: one every 20 s
    expect(refused.detail).toMatch(/Too many prints from you .*at most 3 a minute.*try again in 20 s/);
    expect(heavy.stats().limited).toBe(1);
    // Another address, and a signed-in user at the same address, have their own.
    expect(await heavy.run(from('10.0.0.2'), response(), ok)).toBe('done');
    expect(await heavy.run(from('10.0.0.1', 5), response(), ok)).toBe('done');
    now += 20_000;
    expect(await heavy.run(from('10.0.0.1'), response(), ok)).toBe('done');
    expect((await refusal(heavy.run(from('10.0.0.1'), response(), ok))).status).toBe(429);
  });

  it('charges no turn to a request refused because the line was full', async () => {
    const heavy = new HeavyWork('export', limits({ concurrency: 1, queue: 0, perMinute: 2 }));
    const a = pending();
    const runA = heavy.run(from('10.0.0.1'), response(), a.work);
    for (let i = 0; i < 5; i++) expect((await refusal(heavy.run(from('10.0.0.1'), response(), async () => 'x'))).status).toBe(503);
    a.finish('a');
    await runA;
    // One of two turns taken: the caller still has one.
    expect(await heavy.run(from('10.0.0.1'), response(), async () => 'second')).toBe('second');
    expect((await refusal(heavy.run(from('10.0.0.1'), response(), async () => 'x'))).status).toBe(429);
  });

  it('lets a waiter whose client leaves give up its place, which the next request takes', async () => {
    const heavy = new HeavyWork('analysis', limits({ concurrency: 1, queue: 1 }));
    const a = pending();
    const runA = heavy.run(from('10.0.0.1'), response(), a.work);
    const leaving = response();
    const b = pending();
    const runB = heavy.run(from('10.0.0.2'), leaving, b.work);
    await tick();
    expect(heavy.stats()).toMatchObject({ running: 1, waiting: 1 });
    leaving.emit('close');
    await expect(runB).rejects.toBeInstanceOf(QueryCancelledError);
    expect(heavy.stats()).toMatchObject({ running: 1, waiting: 0 });
    // The freed place in line is taken, and the gone waiter never runs.
    const c = pending();
    const runC = heavy.run(from('10.0.0.3'), response(), c.work);
    await tick();
    expect(heavy.stats()).toMatchObject({ running: 1, waiting: 1 });
    a.finish('a');
    await runA;
    await tick();
    expect(c.state.started).toBe(true);
    expect(b.state.started).toBe(false);
    c.finish('c');
    await runC;
  });

  it('refuses a request whose client has already gone without counting it', async () => {
    const heavy = new HeavyWork('import', limits({ perMinute: 1 }));
    const gone = response();
    gone.closed = true; // left before the request reached the limiter
    await expect(heavy.run(from('10.0.0.1'), gone, async () => 'x')).rejects.toBeInstanceOf(QueryCancelledError);
    expect(heavy.stats()).toMatchObject({ running: 0, waiting: 0 });
    expect(await heavy.run(from('10.0.0.1'), response(), async () => 'still one turn')).toBe('still one turn');
  });

  it('as middleware, holds the slot until the response is sent or abandoned, and passes refusals on', async () => {
    const heavy = new HeavyWork('export', limits({ concurrency: 1, queue: 1 }));
    const pass = (res: ReturnType<typeof response>) =>
      new Promise<unknown>((resolve) => heavy.middleware(from('10.0.0.1'), res, (error?: unknown) => resolve(error ?? 'handler')));
    const [a, b, c] = [response(), response(), response()];
    expect(await pass(a)).toBe('handler');
    const bPassed = pass(b);
    await tick();
    expect(heavy.stats()).toMatchObject({ running: 1, waiting: 1 });
    const refused = (await pass(c)) as RetryLaterError;
    expect(refused.status).toBe(503);
    // The handler has returned, but its answer is still on its way: the slot stays taken.
    await tick();
    expect(heavy.stats()).toMatchObject({ running: 1, waiting: 1 });
    finish(a);
    expect(await bPassed).toBe('handler');
    b.emit('close'); // abandoned by its client
    await tick();
    expect(heavy.stats()).toMatchObject({ running: 0, waiting: 0 });
  });

  it('frees the slot when work fails, and hands running work the signal of its client leaving', async () => {
    const heavy = new HeavyWork('analysis', limits({ concurrency: 1, queue: 0 }));
    const failing = pending();
    const runFailing = heavy.run(from('10.0.0.1'), response(), failing.work);
    failing.fail(new Error('boom'));
    await expect(runFailing).rejects.toThrow('boom');
    expect(heavy.stats().running).toBe(0);

    const leaving = response();
    const a = pending();
    const runA = heavy.run(from('10.0.0.1'), leaving, a.work);
    await tick();
    expect(a.state.signal!.aborted).toBe(false);
    leaving.emit('close');
    expect(a.state.signal!.aborted).toBe(true);
    // The slot stays taken until the work has actually stopped.
    expect(heavy.stats().running).toBe(1);
    expect((await refusal(heavy.run(from('10.0.0.2'), response(), async () => 'x'))).status).toBe(503);
    a.fail(new QueryCancelledError());
    await expect(runA).rejects.toBeInstanceOf(QueryCancelledError);
    expect(heavy.stats().running).toBe(0);
    expect(await heavy.run(from('10.0.0.2'), response(), async () => 'next')).toBe('next');
  });
});
