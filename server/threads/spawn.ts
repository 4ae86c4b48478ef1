// Worker threads of the server: the embedded database and the parsing of uploads run
// off the request thread, so a long query or a large file never stalls other requests.
import { Worker, type ResourceLimits } from 'node:worker_threads';

const boot = new URL('./boot.mjs', import.meta.url);

/** Starts `entry` (a module URL) in a worker thread; it reads `data` as workerData.data. */
export function spawnWorker(entry: URL, data: unknown, options: { resourceLimits?: ResourceLimits; transferList?: Transferable[] } = {}): Worker {
  return new Worker(boot, {
    workerData: { entry: entry.href, data },
    resourceLimits: options.resourceLimits,
    transferList: options.transferList as never,
    // The worker's output is the process's own: PGlite's notices, a crash's stack.
    stdout: false,
    stderr: false,
  });
}
