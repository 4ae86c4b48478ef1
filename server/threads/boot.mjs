// First module of every worker thread: makes TypeScript loadable (tsx), then runs the
// worker's own module. Plain JavaScript, so that it loads whatever started the process
// (npm start under tsx, vitest, or plain node).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
