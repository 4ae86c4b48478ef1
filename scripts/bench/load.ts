// A small closed-loop load generator: N connections, each sending its next request as
// soon as the previous answer is read, for a fixed time. Every latency is recorded, so
// percentiles are exact (autocannon's histogram has no p95).
import { Pool } from 'undici';

export type LoadResult = {
  path: string;
  connections: number;
  seconds: number;
  requests: number;
  errors: number;
  statuses: Record<number, number>;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  bytesPerResponse: number;
};

/** `path` may be a function: each request then asks it for its own path. */
export async function runLoad(
  origin: string,
  path: string | (() => string),
  { connections = 50, seconds = 10, headers = {} as Record<string, string> } = {},
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let bytes = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const res = await pool.request({ path: typeof path === 'string' ? path : path(), method: 'GET', headers });
        const body = await res.body.arrayBuffer();
        bytes += body.byteLength;
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode >= 400) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - began) / 1000;
  await pool.close();
  const pct = percentiles(latencies);
  return {
    path: typeof path === 'string' ? path : `${path()} …`,
    connections,
    seconds: elapsed,
    requests: latencies.length,
    errors,
    statuses,
    rps: latencies.length / elapsed,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    bytesPerResponse: latencies.length ? bytes / latencies.length : 0,
  };
}

/** Exact percentiles of a list of latencies (sorts it). */
export function percentiles(latencies: number[]): (p: number) => number {
  latencies.sort((a, b) => a - b);
  return (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
}

/** Runs `task` once per item, `concurrency` at a time; returns each one's latency in ms. */
export async function runEach<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      const started = performance.now();
      await task(item);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}
