// What benchmarks of heavy work watch while it runs: whether the rest of the server still
// answers (latencies of /api/health and of a cached layer, asked every 50 ms), and the
// server process's resident memory.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, setGlobalDispatcher } from 'undici';
import { percentiles } from './load.ts';

// fetch() keeps connections for 4 s, the server for 5 s: a request sent on a connection
// the server is just closing fails ("other side closed"), and a POST is not retried. A
// benchmark pauses for longer than that between requests (building files, a commit), so
// its connections are let go sooner.
setGlobalDispatcher(new Agent({ keepAliveTimeout: 1_000, keepAliveMaxTimeout: 1_000 }));

/** Benchmark figures of heavy work and start-up: sections written by scripts/bench/*. */
export const performanceDoc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/PERFORMANCE.md');

export type Samples = { count: number; failures: number; p50: number; p95: number; max: number };

const INTERVAL_MS = 50;

function summarise(latencies: number[], failures: number): Samples {
  const at = percentiles(latencies);
  return { count: latencies.length, failures, p50: at(50), p95: at(95), max: at(100) };
}

/** Asks `route` every `intervalMs` (one request at a time) until stopped; latencies of the answers. */
export function poll(origin: string, route: string, intervalMs = INTERVAL_MS) {
  const latencies: number[] = [];
  let failures = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        const res = await fetch(`${origin}${route}`, { headers: { 'accept-encoding': 'gzip' } });
        await res.arrayBuffer();
        if (res.status !== 200) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return async () => {
    stopped = true;
    await done;
    return summarise(latencies, failures);
  };
}

/** Runs `work` while health and a cached layer are polled; their latencies alongside its result. */
export async function sampleWhile<T>(origin: string, work: () => Promise<T>, layer = '/api/layers/industrial_parks'): Promise<{ result: T; health: Samples; layer: Samples }> {
  await fetch(`${origin}${layer}`).then((r) => r.arrayBuffer()); // cached before the work starts
  const stopHealth = poll(origin, '/api/health');
  const stopLayer = poll(origin, layer);
  const stop = async () => ({ health: await stopHealth(), layer: await stopLayer() });
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await stop();
    throw error;
  }
  return { result, ...(await stop()) };
}

/** Resident memory of a process in bytes (Linux /proc). */
export function residentMemory(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** The peak resident memory of a process until stopped, sampled every 50 ms. */
export function peakMemory(pid: number): () => number {
  let peak = residentMemory(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, residentMemory(pid));
    } catch {
      // the process has ended
    }
  }, INTERVAL_MS);
  return () => {
    clearInterval(timer);
    return peak;
  };
}
