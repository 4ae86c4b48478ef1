// The embedded database in its worker thread: the request thread stays free while a
// statement runs, health answers without waiting, a waiting statement whose requester
// left never runs, a statement past the timeout is stopped (the worker restarted on the
// same data directory, nothing half-written), and commits reach the disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, QueryCancelledError, StatementTimeoutError, type Database } from '../../../server/db/adapter.ts';
import { isPgliteDatabase, openPglite } from '../../../server/db/pglite.ts';

// A statement that keeps PGlite busy for a while (no pg_sleep: it must compute).
const BUSY_SQL = 'SELECT count(*)::int AS n FROM generate_series(1, $1::int) a, LATERAL (SELECT md5(a::text)) b';

describe('embedded database in a worker thread', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite({ memory: true });
    await db.exec('CREATE TABLE marks (label text)');
  });
  afterAll(() => db.close());

  it('leaves the request thread free while a long statement runs', async () => {
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const started = performance.now();
    const [{ n }] = (await db.query<{ n: number }>(BUSY_SQL, [4_000_000])) as [{ n: number }];
    const took = performance.now() - started;
    lag.disable();
    expect(n).toBe(4_000_000);
    // Run in this thread, the statement would hold the event loop for all of `took`.
    expect(took).toBeGreaterThan(1_000);
    expect(lag.max / 1e6).toBeLessThan(500);
  });

  it('answers health during a long statement without waiting for it', async () => {
    const order: string[] = [];
    const long = db.query(BUSY_SQL, [3_000_000]).then(() => order.push('statement'));
    await new Promise((r) => setTimeout(r, 100));
    const health = await db.health();
    order.push('health');
    await long;
    expect(order).toEqual(['health', 'statement']);
    expect(health.busyMs).toBeGreaterThan(0);
    expect((await db.health()).busyMs).toBeNull();
  });

  it('never runs a waiting statement whose requester has left', async () => {
    const long = db.query(BUSY_SQL, [2_000_000]);
    const gone = new AbortController();
    const waiting = db.query("INSERT INTO marks VALUES ('should not run')", [], { signal: gone.signal });
    gone.abort();
    await expect(waiting).rejects.toBeInstanceOf(QueryCancelledError);
    await long;
    expect(await db.query('SELECT * FROM marks')).toEqual([]);
  });

  it('stops a transaction at its next statement once its signal aborts, and rolls it back', async () => {
    const gone = new AbortController();
    const transaction = db.transaction(async (tx) => {
      await tx.query("INSERT INTO marks VALUES ('first half')");
      gone.abort();
      await tx.query("INSERT INTO marks VALUES ('second half')");
    }, { signal: gone.signal });
    await expect(transaction).rejects.toBeInstanceOf(QueryCancelledError);
    expect(await db.query('SELECT * FROM marks')).toEqual([]);
    expect(await db.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('reports PostgreSQL errors with their fields, as node-postgres does', async () => {
    await db.exec('CREATE TABLE uniq (id int PRIMARY KEY)');
    await db.query('INSERT INTO uniq VALUES (1)');
    const error = (await db.query('INSERT INTO uniq VALUES (1)').catch((e: unknown) => e)) as { code: string; constraint: string };
    expect(error).toMatchObject({ code: '23505', constraint: 'uniq_pkey' });
  });

  it('delivers notifications from the worker', async () => {
    const received: string[] = [];
    const stop = await db.listen('news', { onNotify: (payload) => received.push(payload) });
    await db.query("NOTIFY news, 'hello'");
    await stop();
    await db.query("NOTIFY news, 'unheard'");
    expect(received).toEqual(['hello']);
  });
});

describe('embedded database on disk: statement timeout and durability', () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-pglite-'));
    db = await openPglite({ dataDir: path.join(dir, 'pglite') }, { statementTimeoutMs: 2_000 });
    await db.exec('CREATE TABLE kept (label text)');
  }, 120_000);
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('flushes a commit to disk (fsync) before acknowledging it', async () => {
    if (!isPgliteDatabase(db)) throw new Error('not PGlite');
    const before = (await db.stats()).fsyncs;
    await db.query("INSERT INTO kept VALUES ('committed')");
    expect((await db.stats()).fsyncs).toBeGreaterThan(before);
  });

  it('lets a transaction ask for a longer bound (start-up work)', async () => {
    const started = performance.now();
    const [{ n }] = (await db.transaction((tx) => tx.query<{ n: number }>(BUSY_SQL, [20_000_000]), { statementTimeoutMs: 120_000 })) as [{ n: number }];
    expect(n).toBe(20_000_000);
    expect(performance.now() - started).toBeGreaterThan(2_000); // longer than this database's own bound
    expect((await db.health()).busyMs).toBeNull();
  }, 120_000);

  it('stops a statement past the timeout, reopens the same data, and loses only the open transaction', async () => {
    const transaction = db.transaction(async (tx) => {
      await tx.query("INSERT INTO kept VALUES ('half-written')");
      await tx.query(BUSY_SQL, [500_000_000]);
    });
    await expect(transaction).rejects.toBeInstanceOf(StatementTimeoutError);
    // While the worker restarts, health says so rather than waiting.
    await expect(db.health()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    // Statements wait for the reopened database.
    expect(await db.query('SELECT label FROM kept ORDER BY label')).toEqual([{ label: 'committed' }]);
    expect((await db.health()).busyMs).toBeNull();
  }, 120_000);
});

describe('embedded database without fsync', () => {
  it('does not flush when durability is turned off', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-pglite-'));
    const db = await openPglite({ dataDir: path.join(dir, 'pglite') }, { durable: false });
    try {
      if (!isPgliteDatabase(db)) throw new Error('not PGlite');
      await db.exec('CREATE TABLE t (x int)');
      await db.query('INSERT INTO t VALUES (1)');
      expect((await db.stats()).fsyncs).toBe(0);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
