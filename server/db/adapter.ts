// The one database interface the application talks to. Two implementations:
// embedded PGlite + PostGIS (default) and node-postgres on a real PostGIS.
export type Row = Record<string, unknown>;

export interface Queryable {
  /** One statement with $n parameters; returns the rows. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
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

export type Listener = {
  onNotify(payload: string): void;
  /** Called after the subscription (re)starts: notifications may have been missed. */
  onSubscribed?(): void;
};

export interface Database extends Queryable {
  readonly backend: 'pglite' | 'postgres';
  /** Runs fn in one transaction: committed if fn resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
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
