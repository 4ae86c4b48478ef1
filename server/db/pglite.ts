// The embedded database, PGlite + PostGIS, run in a worker thread (pglite-worker.ts) so
// that its statements never hold the request thread. PGlite is one session: statements
// run one at a time, a transaction holds the session until it ends. This side keeps
// that order (a queue a waiting request can leave), bounds every statement (a statement
// past the timeout stops the worker, which is restarted on the same data directory:
// PostgreSQL recovers as after a crash, and the transaction is lost, never half-written)
// and answers health without waiting behind long work.
import fs from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../threads/spawn.ts';
import { Turns } from '../threads/turns.ts';
import {
  DatabaseUnavailableError,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  StatementTimeoutError,
  throwIfCancelled,
  type Database,
  type DatabaseHealth,
  type Listener,
  type QueryOptions,
  type TransactionOptions,
  type Queryable,
  type Row,
} from './adapter.ts';
import { lockDataDir } from './data-dir-lock.ts';
import type { WorkerError, WorkerInit, WorkerOp, WorkerReply, WorkerRequest, WorkerSource, WorkerStats } from './pglite-worker.ts';

export type PgliteSource =
  | { dataDir: string; load?: Blob } // persisted on disk; `load`: a dump to create it from (restore)
  | { memory: true } // throw-away
  | { dump: Blob }; // a copy of a dumped data directory (test fixtures)

export type PgliteOptions = {
  /** Acknowledge a commit only once it is on disk (fsync). Default true; data directories only. */
  durable?: boolean;
  statementTimeoutMs?: number;
};

/** Opens PGlite with PostGIS loaded, in a worker thread. First open of a new data dir takes ~15–25 s. */
export async function openPglite(source: PgliteSource, options: PgliteOptions = {}): Promise<Database> {
  let unlock = () => {};
  let workerSource: WorkerSource;
  if ('dataDir' in source) {
    await fs.mkdir(source.dataDir, { recursive: true });
    unlock = lockDataDir(source.dataDir);
    workerSource = { dataDir: source.dataDir, ...(source.load ? { load: await source.load.arrayBuffer() } : {}) };
  } else if ('dump' in source) {
    workerSource = { dump: await source.dump.arrayBuffer() };
  } else {
    workerSource = { memory: true };
  }
  const db = new PgliteDatabase(workerSource, options.durable ?? true, options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS, unlock);
  try {
    await db.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void; timer?: NodeJS.Timeout };

class PgliteDatabase implements Database {
  readonly backend = 'pglite' as const;
  private worker: Worker | undefined;
  /** Bumped at every (re)start: a transaction begun in an earlier worker cannot go on. */
  private generation = 0;
  private ready: Promise<void> = Promise.resolve();
  private restarting = false;
  private closed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** PGlite's one session: a statement or a whole transaction at a time. */
  private readonly session = new Turns(1);
  /** When the session's current holder took it (performance.now()), or null when free. */
  private busySince: number | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly source: WorkerSource,
    private readonly durable: boolean,
    private readonly statementTimeoutMs: number,
    private readonly unlock: () => void,
  ) {}

  /** Starts the worker and waits until PGlite is open in it. */
  async start(): Promise<void> {
    this.ready = this.spawn();
    await this.ready;
  }

  private spawn(): Promise<void> {
    const generation = this.generation;
    // A data directory is reopened as it is on disk; a dump is handed over (transferred) once.
    const source = this.source;
    const transfer = 'dump' in source ? [source.dump] : 'load' in source && source.load ? [source.load] : [];
    const worker = spawnWorker(new URL('./pglite-worker.ts', import.meta.url), { source, durable: this.durable } satisfies WorkerInit, { transferList: transfer });
    if ('load' in source) delete source.load; // created from it once; later starts open the directory
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerReply) => {
        if ('event' in message) {
          if (message.event === 'ready') resolve();
          else if (message.event === 'failed') reject(toError(message.error));
          else this.listeners.get(message.channel)?.forEach((l) => l.onNotify(message.payload));
          return;
        }
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.result);
        else pending.reject(toError(message.error));
      });
      worker.on('error', (error) => reject(error));
      worker.on('exit', (code) => {
        const reason = new DatabaseUnavailableError(new Error(`the database worker exited (${code})`));
        reject(reason);
        if (generation === this.generation && !this.closed) this.restart(reason);
      });
    });
  }

  async query<R extends Row>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<R[]> {
    return this.exclusive(options.signal, () => this.call({ op: 'query', sql, params }) as Promise<R[]>);
  }

  async exec(sql: string): Promise<void> {
    await this.exclusive(undefined, () => this.call({ op: 'exec', sql }));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const outer = options.signal;
    const timeoutMs = options.statementTimeoutMs ?? this.statementTimeoutMs;
    return this.exclusive(outer, async () => {
      const generation = this.generation;
      const run = (request: WorkerOp, signal: AbortSignal | undefined) => {
        throwIfCancelled(signal);
        if (generation !== this.generation) throw new DatabaseUnavailableError(new Error('the database restarted during the transaction'));
        return this.call(request, timeoutMs);
      };
      await this.call({ op: 'exec', sql: 'BEGIN' });
      try {
        const result = await fn({
          query: <R extends Row>(sql: string, params: readonly unknown[] = [], inner: QueryOptions = {}) =>
            run({ op: 'query', sql, params }, inner.signal ?? outer) as Promise<R[]>,
          exec: async (sql: string) => {
            await run({ op: 'exec', sql }, outer);
          },
        });
        await run({ op: 'exec', sql: 'COMMIT' }, undefined);
        return result;
      } catch (error) {
        // After a restart there is nothing to roll back: recovery already did.
        if (generation === this.generation) await this.call({ op: 'exec', sql: 'ROLLBACK' }).catch(() => {});
        throw error;
      }
    });
  }

  async health(): Promise<DatabaseHealth> {
    if (this.closed || this.restarting) throw new DatabaseUnavailableError(new Error(this.closed ? 'closed' : 'restarting'));
    // A statement in progress is bounded by the timeout (the worker is restarted past
    // it), so "busy since" is a true answer that costs no wait.
    if (this.busySince !== null) return { busyMs: Math.round(performance.now() - this.busySince) };
    await this.query('SELECT 1');
    return { busyMs: null };
  }

  async listen(channel: string, listener: Listener): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await this.exclusive(undefined, () => this.call({ op: 'listen', channel }));
    }
    set.add(listener);
    listener.onSubscribed?.();
    return async () => {
      set.delete(listener);
      if (set.size || this.closed) return;
      this.listeners.delete(channel);
      await this.exclusive(undefined, () => this.call({ op: 'unlisten', channel })).catch(() => {});
    };
  }

  /** A tarball of the data directory: test templates (uncompressed, fast) and backups (gzip). */
  async dump(compression: 'none' | 'gzip' = 'none'): Promise<Blob> {
    const buffer = (await this.exclusive(undefined, () => this.call({ op: 'dump', compression }, null))) as ArrayBuffer;
    return new Blob([buffer]);
  }

  /** How many times the worker has flushed a file to disk (tests and the fsync benchmark). */
  stats(): Promise<WorkerStats> {
    return this.call({ op: 'stats' }, null) as Promise<WorkerStats>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive(undefined, () => this.call({ op: 'close' }, null)).catch(() => {});
    this.closed = true;
    await this.worker?.terminate();
    this.failAll(new DatabaseUnavailableError(new Error('the database is closed')));
    this.unlock();
  }

  private async exclusive<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    await this.session.take(signal);
    this.busySince = performance.now();
    try {
      throwIfCancelled(signal);
      return await fn();
    } finally {
      this.busySince = null;
      this.session.release();
    }
  }

  /**
   * One request to the worker once it is open (waiting out a restart). `timeoutMs`: how
   * long the statement may run (null: not a statement, unbounded).
   */
  private async call(request: WorkerOp, timeoutMs: number | null = this.statementTimeoutMs): Promise<unknown> {
    await this.ready.catch((error) => {
      throw error instanceof DatabaseUnavailableError ? error : new DatabaseUnavailableError(error);
    });
    return this.send(request, timeoutMs);
  }

  /** Posts a request; a statement past its timeout rejects and restarts the worker. */
  private send(request: WorkerOp, timeoutMs: number | null): Promise<unknown> {
    const worker = this.worker;
    if (this.closed || !worker) return Promise.reject(new DatabaseUnavailableError(new Error('the database is closed')));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject };
      if (timeoutMs !== null) {
        pending.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new StatementTimeoutError(timeoutMs));
          this.restart(new DatabaseUnavailableError(new Error('restarted after a statement timeout')));
        }, timeoutMs);
      }
      this.pending.set(id, pending);
      worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  /**
   * Stops the worker (a WASM statement cannot be interrupted otherwise) and opens the
   * data directory again; statements wait for it. A throw-away database (memory, dump)
   * cannot be reopened and stays unavailable.
   */
  private restart(reason: DatabaseUnavailableError): void {
    if (this.restarting || this.closed) return;
    this.restarting = true;
    this.generation++;
    const old = this.worker;
    this.worker = undefined;
    this.failAll(reason);
    this.ready = (async () => {
      await old?.terminate();
      if (!('dataDir' in this.source)) throw reason;
      await this.spawn();
      for (const [channel, listeners] of this.listeners) {
        await this.send({ op: 'listen', channel }, this.statementTimeoutMs);
        listeners.forEach((l) => l.onSubscribed?.()); // notifications may have been missed
      }
    })().finally(() => {
      this.restarting = false;
    });
    this.ready.catch(() => {}); // every later statement reports it
  }

  private failAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }
}

/** A failed statement as the drivers report it: PostgreSQL's fields on an Error. */
function toError(error: WorkerError): Error {
  return Object.assign(new Error(error.message), error.fields);
}

export function isPgliteDatabase(db: Database): db is PgliteDatabase {
  return db instanceof PgliteDatabase;
}
