// The one database interface the application talks to. Two implementations:
// embedded PGlite + PostGIS (default) and node-postgres on a real PostGIS.
export type Row = Record<string, unknown>;

export type QueryOptions = {
  /**
   * Aborted when whoever asked has gone (the HTTP client left): a query not yet started
   * is not started, and a running one is cancelled where the backend can (PostgreSQL:
   * pg_cancel_backend). Either way the promise rejects with QueryCancelledError.
   */
  signal?: AbortSignal;
};

export type TransactionOptions = QueryOptions & {
  /**
   * A longer bound than the statement timeout for each statement of this transaction:
   * start-up work (migrations, seeding) that is not a request and may take minutes on a
   * loaded machine.
   */
  statementTimeoutMs?: number;
};

/** Start-up work (migrations, seeding) may take this long per statement. */
export const STARTUP_STATEMENT_TIMEOUT_MS = 10 * 60_000;

export interface Queryable {
  /** One statement with $n parameters; returns the rows. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<R[]>;
  /** A parameterless script of one or more statements (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * The database cannot be reached (down, restarting, out of connections): the request
 * may succeed if retried later. Adapters raise it instead of their driver's errors, so
 * the HTTP layer answers 503 rather than 500.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`database unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** The work was abandoned because its signal was aborted (the requester left). */
export class QueryCancelledError extends Error {
  constructor() {
    super('query cancelled: the requester has gone');
  }
}

/** A statement ran longer than the configured statement timeout and was stopped. */
export class StatementTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`statement stopped after ${timeoutMs} ms (statement timeout)`);
  }
}

/** Throws QueryCancelledError if the signal has been aborted: a cancellation point. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new QueryCancelledError();
}

/**
 * Whether an error is the database refusing the statement (it carries a SQLSTATE: bad
 * input, a constraint) rather than the connection failing, the work being cancelled or
 * timing out — the refusals are what a caller reports to the user per feature.
 */
export function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57)/.test(code);
}

/** What /api/health reports of the database, without waiting behind long work. */
export type DatabaseHealth = {
  /** A statement is running (or a transaction is open) and has been for this long. */
  busyMs: number | null;
};

export type Listener = {
  onNotify(payload: string): void;
  /** Called after the subscription (re)starts: notifications may have been missed. */
  onSubscribed?(): void;
};

export interface Database extends Queryable {
  readonly backend: 'pglite' | 'postgres';
  /**
   * Runs fn in one transaction: committed if fn resolves, rolled back if it throws. With
   * a signal, every statement of the transaction is a cancellation point.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Whether the database answers. Never waits behind a long statement: while one runs
   * (within the statement timeout) that is an answer too. Throws DatabaseUnavailableError.
   */
  health(): Promise<DatabaseHealth>;
  /** LISTEN on a channel until the returned function is called; survives reconnects. */
  listen(channel: string, listener: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// Both drivers must hand the application the same JavaScript values, whatever
// their defaults: counts as numbers, numerics as numbers, dates as 'YYYY-MM-DD'.
export const typeParsers: Record<number, (value: string) => unknown> = {
  20: (v) => Number(v), // int8: counts and ids stay far below 2^53
  1700: (v) => Number(v), // numeric: areas in ha, lengths in km
  1082: (v) => v, // date: keep the calendar date, no time-zone shift
};

export const SESSION_TIME_ZONE = 'UTC';

/** No statement runs longer than this unless configured otherwise (STATEMENT_TIMEOUT_MS). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
