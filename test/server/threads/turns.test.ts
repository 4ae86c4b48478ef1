import { describe, expect, it } from 'vitest';
import { QueryCancelledError } from '../../../server/db/adapter.ts';
import { Turns } from '../../../server/threads/turns.ts';

describe('turns', () => {
  it('lets `capacity` callers in at once and the rest in arrival order', async () => {
    const turns = new Turns(2);
    const order: string[] = [];
    await turns.take();
    await turns.take();
    expect(turns.full).toBe(true);
    const third = turns.take().then(() => order.push('third'));
    const fourth = turns.take().then(() => order.push('fourth'));
    expect(turns.waiting).toBe(2);
    turns.release();
    await third;
    turns.release();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
    expect(turns.running).toBe(2); // each release passed its turn on
  });

  it('lets a waiter whose signal aborts leave the line, and refuses one already gone', async () => {
    const turns = new Turns(1);
    await turns.take();
    const gone = new AbortController();
    const leaving = turns.take(gone.signal);
    const staying = turns.take();
    gone.abort();
    await expect(leaving).rejects.toBeInstanceOf(QueryCancelledError);
    expect(turns.waiting).toBe(1);
    turns.release();
    await staying;
    await expect(turns.take(AbortSignal.abort())).rejects.toBeInstanceOf(QueryCancelledError);
    turns.release();
    expect(turns.running).toBe(0);
  });
});
