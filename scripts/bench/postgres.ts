// The PostgreSQL database a benchmark runs on: BENCH_DATABASE_URL, or a throw-away
// database created through TEST_DATABASE_URL (and dropped afterwards).
import { runAdminStatement } from '../lib/pg-admin.ts';

export type BenchDatabase = { url: string; drop?: () => Promise<void> };

export async function benchPostgres(label: string): Promise<BenchDatabase | null> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL };
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) return null;
  const name = `lsgis_bench_${label}_${process.pid}`;
  const run = (sql: string) => runAdminStatement(admin, sql);
  await run(`CREATE DATABASE "${name}"`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
