// A database that tells a test about the statements matching a pattern: how many were
// issued and how each ended, with a hook before each one (to hold it back).
import { QueryCancelledError, type Database } from '../../server/db/adapter.ts';

export type Watch = {
  /** Outcome of each matching statement, in order: 'running', 'done', 'cancelled' or 'failed'. */
  outcomes: ('running' | 'done' | 'cancelled' | 'failed')[];
  /** Awaited before the nth matching statement (1-based) runs. */
  before: (n: number) => Promise<void>;
};

export function watchStatements(db: Database, pattern: RegExp): { db: Database; watch: Watch } {
  const watch: Watch = { outcomes: [], before: async () => {} };
  const query: Database['query'] = async (sql, params, options) => {
    if (!pattern.test(sql)) return db.query(sql, params, options);
    const n = watch.outcomes.push('running');
    try {
      await watch.before(n);
      const rows = await db.query(sql, params, options);
      watch.outcomes[n - 1] = 'done';
      return rows as never;
    } catch (error) {
      watch.outcomes[n - 1] = error instanceof QueryCancelledError ? 'cancelled' : 'failed';
      throw error;
    }
  };
  const proxy = new Proxy(db, {
    get(target, property) {
      if (property === 'query') return query;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy, watch };
}

/** Resolves when `release()` is called: a statement held back until the test says. */
export function gate(): { wait: Promise<void>; release: () => void } {
  let release!: () => void;
  const wait = new Promise<void>((resolve) => (release = resolve));
  return { wait, release };
}
