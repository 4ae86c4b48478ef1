// Reading many rows without holding them: pages in id order, each page one statement,
// `… AND t.id > $last ORDER BY t.id LIMIT n`. Not OFFSET (every page would scan all the
// rows before it), and not a cursor or a transaction: on the embedded database a
// transaction holds the only session for its whole duration, so every other request
// would wait while a slow client downloads. Rows may change between pages; each row is
// read once, as it was when its page was read.
import type { Queryable } from './adapter.ts';

export type KeysetQuery = {
  /** `SELECT … AS id … FROM … t WHERE …`: the rows' text id, table alias t, no ORDER BY. */
  sql: string;
  params: readonly unknown[];
};

/**
 * The rows of the query, a page at a time. With `signal`, a client that leaves stops it
 * between pages and cancels the page being read.
 */
export async function* keysetPages<R extends { id: string }>(
  db: Queryable,
  { sql, params }: KeysetQuery,
  { pageRows, signal }: { pageRows: number; signal?: AbortSignal },
): AsyncGenerator<R[]> {
  const limit = `ORDER BY t.id LIMIT ${Math.floor(pageRows)}`;
  const next = `${sql} AND t.id > $${params.length + 1} ${limit}`;
  let rows = await db.query<R>(`${sql} ${limit}`, params, { signal });
  for (;;) {
    if (rows.length) yield rows;
    if (rows.length < pageRows) return;
    rows = await db.query<R>(next, [...params, rows.at(-1)!.id], { signal });
  }
}

/**
 * The same pages, the first one read before this resolves: a database that cannot
 * answer is then an error status, not a response cut short after its headers.
 */
export async function firstPageRead<T>(pages: AsyncGenerator<T>): Promise<AsyncGenerator<T>> {
  const first = await pages.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* pages;
  })();
}
