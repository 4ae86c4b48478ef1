// The database pool is bounded: however many queries arrive at once, a server holds at
// most its pool's connections (the fixture opens PostgreSQL with poolMax 8). PGlite has
// one embedded connection and nothing to bound.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../support/backends.ts';

const POOL_MAX = 8;

describeEachBackend('database connections', ({ db, backend }) => {
  it.runIf(backend === 'postgres')(`never opens more than ${POOL_MAX} connections for 30 concurrent queries`, async () => {
    const seen = await Promise.all(
      Array.from({ length: 30 }, () =>
        db().query<{ n: number }>(
          "SELECT pg_sleep(0.2), (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'lang-son-gis') AS n",
        ),
      ),
    );
    const most = Math.max(...seen.map(([row]) => row!.n));
    expect(most).toBeGreaterThan(1); // the queries did run side by side
    expect(most).toBeLessThanOrEqual(POOL_MAX);
  });

  // Small PostGIS statements must not pay for LLVM compilation (180 ms for 15 ms of work)
  // or for starting parallel workers that load PostGIS and PROJ.
  it.runIf(backend === 'postgres')('runs its sessions without JIT and parallel workers', async () => {
    const [row] = await db().query<{ jit: string; workers: string }>("SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers");
    expect(row).toEqual({ jit: 'off', workers: '0' });
  });
});
