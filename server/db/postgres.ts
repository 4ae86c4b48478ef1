import pg from 'pg';
import {
  DatabaseUnavailableError,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  QueryCancelledError,
  SESSION_TIME_ZONE,
  StatementTimeoutError,
  throwIfCancelled,
  typeParsers,
  type Database,
  type DatabaseHealth,
  type Listener,
  type QueryOptions,
  type TransactionOptions,
  type Queryable,
  type Row,
} from './adapter.ts';
import { ident } from './sql.ts';

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    typeParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

// No parallel workers: our queries are many and small (a tile, a page, a feature), and
// a worker is a fresh process that must first load PostGIS and PROJ. With them, the
// planner chose parallel sequential scans over the GiST index for tile queries and a
// 2 ms tile took 100 ms.
// No JIT: PostGIS declares its functions costly, so a batch of 500 points to check was
// planned at a cost of millions and compiled by LLVM first — 180 ms for 15 ms of work,
// on every statement.
export const SESSION_OPTIONS = `-c TimeZone=${SESSION_TIME_ZONE} -c max_parallel_workers_per_gather=0 -c jit=off`;

// SQLSTATEs of a server that is unreachable or going away: class 08 (connection
// exception), 57P01–57P03 (shut down by an administrator, crashed, still starting),
// 53300 (too many connections).
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
// node-postgres says these in words only: a dropped connection, a pool wait that timed
// out, a client broken by an earlier error, a pool closed by shutdown.
const DRIVER_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end)/;

/** Whether an error from node-postgres means "the database cannot be reached", not "this query is wrong". */
export function isUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; errors?: unknown[] };
  if (typeof e?.code === 'string' && (UNAVAILABLE_STATES.test(e.code) || SOCKET_ERRORS.has(e.code))) return true;
  if (typeof e?.message === 'string' && DRIVER_MESSAGES.test(e.message)) return true;
  // Connecting to a name with several addresses fails with one error per address.
  return Array.isArray(e?.errors) && e.errors.length > 0 && e.errors.every(isUnavailable);
}

const QUERY_CANCELED = '57014'; // by pg_cancel_backend or by statement_timeout

const translated = (error: unknown, timeoutMs: number) => {
  if ((error as { code?: unknown })?.code === QUERY_CANCELED) return new StatementTimeoutError(timeoutMs);
  return isUnavailable(error) ? new DatabaseUnavailableError(error) : error;
};

export type PostgresOptions = { url: string; poolMax: number; applicationName?: string; statementTimeoutMs?: number };

export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    types,
    // Every statement is bounded: a runaway query is stopped by the server itself.
    options: `${SESSION_OPTIONS} -c statement_timeout=${statementTimeoutMs}`,
    application_name: options.applicationName ?? 'lang-son-gis',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  const db = new PostgresDatabase(pool, options.url, statementTimeoutMs);
  await db.query('SELECT 1');
  return db;
}

const HEALTH_TIMEOUT_MS = 2_000;

class PostgresDatabase implements Database {
  readonly backend = 'postgres' as const;
  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly statementTimeoutMs: number,
  ) {}

  async query<R extends Row>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<R[]> {
    throwIfCancelled(options.signal);
    if (!options.signal) {
      try {
        return (await this.pool.query<R>(sql, params as unknown[])).rows;
      } catch (error) {
        throw translated(error, this.statementTimeoutMs);
      }
    }
    // A query that may be cancelled needs to know its connection's backend.
    return this.withClient(options.signal, (client) => this.run<R>(client, sql, params, options.signal));
  }

  async exec(sql: string): Promise<void> {
    await this.query(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.withClient(options.signal, async (client, discard) => {
      const outer = options.signal;
      const tx: Queryable = {
        query: <R extends Row>(sql: string, params: readonly unknown[] = [], inner: QueryOptions = {}) =>
          this.run<R>(client, sql, params, inner.signal ?? outer),
        exec: async (sql: string) => {
          await this.run(client, sql, [], outer);
        },
      };
      await client.query('BEGIN');
      if (options.statementTimeoutMs) await client.query(`SET LOCAL statement_timeout = ${Math.round(options.statementTimeoutMs)}`);
      try {
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is discarded, not returned to the pool.
        await client.query('ROLLBACK').catch(discard);
        throw error;
      }
    });
  }

  async health(): Promise<DatabaseHealth> {
    const timeout = AbortSignal.timeout(HEALTH_TIMEOUT_MS);
    try {
      await this.query('SELECT 1', [], { signal: timeout });
    } catch (error) {
      throw error instanceof DatabaseUnavailableError ? error : new DatabaseUnavailableError(error);
    }
    return { busyMs: null };
  }

  /**
   * Runs fn on a connection of its own. A connection whose work was cancelled, or that
   * failed to roll back, is discarded rather than returned to the pool: a cancel request
   * arriving late must not hit the next user's statement.
   */
  private async withClient<T>(signal: AbortSignal | undefined, fn: (client: pg.PoolClient, discard: () => void) => Promise<T>): Promise<T> {
    throwIfCancelled(signal);
    const client = await this.pool.connect().catch((error) => {
      throw translated(error, this.statementTimeoutMs);
    });
    let discard = false;
    const onAbort = () => {
      discard = true;
      this.cancelBackend(client);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await fn(client, () => {
        discard = true;
      });
    } catch (error) {
      discard ||= isUnavailable(error);
      if (signal?.aborted) throw new QueryCancelledError();
      throw translated(error, this.statementTimeoutMs);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      client.release(discard ? new Error('cancelled or broken') : undefined);
    }
  }

  private async run<R extends Row>(client: pg.PoolClient, sql: string, params: readonly unknown[], signal: AbortSignal | undefined): Promise<R[]> {
    throwIfCancelled(signal);
    return (await client.query<R>(sql, params as unknown[])).rows;
  }

  // pg_cancel_backend from a connection of its own: the pool may be exhausted, and
  // this must not wait behind the very work it stops.
  private cancelBackend(client: pg.PoolClient): void {
    const pid = (client as unknown as { processID?: number }).processID;
    if (!pid) return;
    const canceller = new pg.Client({ connectionString: this.url, application_name: 'lang-son-gis:cancel' });
    canceller.on('error', () => {});
    canceller
      .connect()
      .then(() => canceller.query('SELECT pg_cancel_backend($1)', [pid]))
      .catch(() => {})
      .finally(() => canceller.end().catch(() => {}));
  }

  // A dedicated connection outside the pool holds the LISTEN; when it drops (database
  // restart, network) it reconnects with backoff and reports the gap via onSubscribed.
  async listen(channel: string, listener: Listener): Promise<() => Promise<void>> {
    let client: pg.Client | undefined;
    let stopped = false;
    let attempt = 0;
    let timer: NodeJS.Timeout | undefined;
    const connect = async () => {
      const c = new pg.Client({ connectionString: this.url, types, application_name: 'lang-son-gis:listen' });
      client = c;
      c.on('notification', (m) => {
        if (m.channel === channel && m.payload !== undefined) listener.onNotify(m.payload);
      });
      c.on('error', () => retry(c));
      c.on('end', () => retry(c));
      await c.connect();
      await c.query(`LISTEN ${ident(channel)}`);
      attempt = 0;
      listener.onSubscribed?.();
    };
    const retry = (failed: pg.Client) => {
      if (stopped || failed !== client || timer) return;
      failed.removeAllListeners();
      failed.on('error', () => {});
      failed.end().catch(() => {});
      // At most 5 s apart: until the subscription is back, a write made meanwhile is
      // not seen and cached bodies may be stale.
      const delay = Math.min(5_000, 250 * 2 ** attempt++);
      timer = setTimeout(() => {
        timer = undefined;
        connect().catch(() => retry(client!));
      }, delay);
    };
    await connect();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await client?.end().catch(() => {});
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
