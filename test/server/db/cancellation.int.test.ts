// Work stops when its requester leaves, and no statement runs past the timeout, on both
// backends. PostgreSQL also stops a statement already running (pg_cancel_backend);
// PGlite cannot interrupt its WASM, so there a running statement ends and nothing more
// starts (its own timeout is tested in pglite.int.test.ts).
import { expect, it } from 'vitest';
import { QueryCancelledError, StatementTimeoutError } from '../../../server/db/adapter.ts';
import { openPostgres } from '../../../server/db/postgres.ts';
import { createPostgresDatabase, describeEachBackend } from '../../support/backends.ts';

describeEachBackend('cancellation', ({ db, backend }) => {
  it('rolls back a transaction whose requester leaves, at its next statement', async () => {
    await db().exec('CREATE TABLE IF NOT EXISTS cancel_marks (label text)');
    const gone = new AbortController();
    const transaction = db().transaction(async (tx) => {
      await tx.query("INSERT INTO cancel_marks VALUES ('first half')");
      gone.abort();
      await tx.query("INSERT INTO cancel_marks VALUES ('second half')");
    }, { signal: gone.signal });
    await expect(transaction).rejects.toBeInstanceOf(QueryCancelledError);
    expect(await db().query('SELECT * FROM cancel_marks')).toEqual([]);
  });

  it('refuses to start work for a requester already gone', async () => {
    const gone = AbortSignal.abort();
    await expect(db().query('SELECT 1', [], { signal: gone })).rejects.toBeInstanceOf(QueryCancelledError);
    await expect(db().transaction(async () => 1, { signal: gone })).rejects.toBeInstanceOf(QueryCancelledError);
  });

  it.runIf(backend === 'postgres')('cancels a running statement on the server when its requester leaves', async () => {
    const gone = new AbortController();
    const sleeping = db().query('SELECT pg_sleep(30)', [], { signal: gone.signal });
    const running = () =>
      db().query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'");
    while ((await running())[0]!.n === 0) await new Promise((r) => setTimeout(r, 20));
    gone.abort();
    await expect(sleeping).rejects.toBeInstanceOf(QueryCancelledError);
    while ((await running())[0]!.n > 0) await new Promise((r) => setTimeout(r, 20));
    // The pool still works, on fresh connections.
    expect(await db().query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it.runIf(backend === 'postgres')('stops a statement past the statement timeout', async () => {
    const database = await createPostgresDatabase('empty');
    const bounded = await openPostgres({ url: database.url, poolMax: 2, statementTimeoutMs: 1_000 });
    try {
      await expect(bounded.query('SELECT pg_sleep(10)')).rejects.toBeInstanceOf(StatementTimeoutError);
      await expect(bounded.transaction((tx) => tx.query('SELECT pg_sleep(10)'))).rejects.toBeInstanceOf(StatementTimeoutError);
      expect(await bounded.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      // Start-up work (migrations, seeding) may ask for a longer bound.
      expect(await bounded.transaction((tx) => tx.query('SELECT pg_sleep(1.5), 1 AS ok'), { statementTimeoutMs: 10_000 })).toEqual([{ pg_sleep: '', ok: 1 }]);
    } finally {
      await bounded.close();
      await database.drop();
    }
  });
});
