// Fuzz figures: the generators of the fuzz test (hostile-requests.ts), run longer,
// against the app on each backend, counted and written into docs/RELIABILITY.md
// (section "fuzz"). The test (test/server/fuzz.int.test.ts) is what guards; this
// records what a longer run found.
//   npx tsx scripts/reliability/fuzz.ts [--public 3000] [--imports 300] [--writes 500] [--no-write]
// PostgreSQL: BENCH_DATABASE_URL, or a throw-away database made via TEST_DATABASE_URL.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { Pool } from 'undici';
import { createApp } from '../../server/app.ts';
import { createUser } from '../../server/auth/users.ts';
import { loadConfig } from '../../server/config.ts';
import type { Database } from '../../server/db/adapter.ts';
import { RevisionStore } from '../../server/layers/revisions.ts';
import { prepareDatabase } from '../../server/prepare.ts';
import { benchPostgres } from '../bench/postgres.ts';
import { databaseDigests } from '../lib/table-digest.ts';
import { carriesInjection, fault, FUZZ_HEAVY_WORK, hostileImport, hostileRequest, hostileWrite, RecordingPrinter, send, type HostileRequest } from './hostile-requests.ts';
import { machine, table, writeSection } from './report.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = { public: arg('public', 3000), imports: arg('imports', 300), writes: arg('writes', 500) };
const write = !process.argv.includes('--no-write');

type Tally = { cases: number; byClass: Record<string, number>; faults: string[]; injections: number; routes: Set<string> };
const tally = (): Tally => ({ cases: 0, byClass: {}, faults: [], injections: 0, routes: new Set() });

type BackendFigures = { label: string; public: Tally; imports: Tally; writes: Tally & { accepted: number; acceptedRecorded: number; refusedClean: number }; unchanged: boolean; alive: boolean; seconds: number };

async function fuzz(label: string, env: Record<string, string>): Promise<BackendFigures> {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent', WRITE_RATE_PER_MINUTE: '100000' });
  const db: Database = await prepareDatabase(config, () => {});
  const revisions = new RevisionStore(db);
  await revisions.start();
  const app = createApp({ db, revisions, printer: new RecordingPrinter(), config, logger: pino({ level: 'silent' }), heavyWork: FUZZ_HEAVY_WORK });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new Pool(origin, { connections: 4 });
  const started = Date.now();
  try {
    await createUser(db, { username: 'fuzz-editor', password: 'fuzz editor password', role: 'editor' });
    const login = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fuzz-editor', password: 'fuzz editor password' }) });
    const session = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
    const before = await databaseDigests(db);

    const run = async (arbitrary: fc.Arbitrary<HostileRequest>, count: number, t: Tally, signedIn: boolean, check?: (answer: { status: number }, earlier: number) => Promise<void>) => {
      const changes = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM feature_history'))[0]!.n;
      for (const request of fc.sample(arbitrary, count)) {
        const earlier = check ? await changes() : 0;
        const answer = await send(pool, signedIn ? { ...request, headers: { ...request.headers, ...session } } : request);
        t.cases++;
        t.routes.add(request.route);
        if (carriesInjection(request)) t.injections++;
        const key = `${Math.floor(answer.status / 100)}xx`;
        t.byClass[key] = (t.byClass[key] ?? 0) + 1;
        const problem = fault(request, answer);
        if (problem) t.faults.push(`${request.method} ${request.path.slice(0, 120)}${request.body ? ` ${String(request.body).slice(0, 300)}` : ''} → ${problem}`);
        await check?.(answer, await changes() - earlier);
      }
    };
    const figures = { public: tally(), imports: tally(), writes: { ...tally(), accepted: 0, acceptedRecorded: 0, refusedClean: 0 } };
    await run(hostileRequest, runs.public, figures.public, false);
    await run(hostileImport, runs.imports, figures.imports, true);
    // Public requests and import previews store nothing (the session from signing in was before).
    const unchanged = JSON.stringify(await databaseDigests(db)) === JSON.stringify(before);
    await run(hostileWrite, runs.writes, figures.writes, true, async (answer, recorded) => {
      if (answer.status < 300) {
        figures.writes.accepted++;
        if (recorded === 1) figures.writes.acceptedRecorded++;
      } else if (recorded === 0) figures.writes.refusedClean++;
    });
    const alive = (await fetch(`${origin}/api/health`)).status === 200;
    return { label, ...figures, unchanged, alive, seconds: (Date.now() - started) / 1000 };
  } finally {
    await pool.close();
    await new Promise((resolve) => server.close(resolve));
    await revisions.stop();
    await db.close();
  }
}

function markdown(all: BackendFigures[]): string {
  const classes = (t: Tally) => ['2xx', '3xx', '4xx', '5xx'].map((c) => t.byClass[c] ?? 0).join(' / ');
  const parts = [
    '## Fuzz',
    '',
    `Generated by \`npx tsx scripts/reliability/fuzz.ts\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`,
    '',
    'Requests drawn by the fuzz test\'s generators (`scripts/reliability/hostile-requests.ts`): every public route with every parameter ' +
      'valid, spoiled, random, raw bytes or one of 16 SQL injection strings, hostile headers and malformed bodies; as a signed-in editor, ' +
      'import previews of generated GeoJSON, KML, KMZ, zipped shapefiles, CSV and random bytes, and feature creates, updates and deletes with ' +
      'generated properties and geometries. A fault is an answer ≥ 500, or an error that is not JSON `{error, detail}`. The CI test runs the same ' +
      'generators with fewer cases (1 000 public, 150 imports, 250 writes per backend).',
  ];
  for (const b of all) {
    parts.push(
      '',
      `### ${b.label} (${b.seconds.toFixed(0)} s)`,
      '',
      table(
        ['requests', 'cases', 'routes', 'with SQL injection', '2xx / 3xx / 4xx / 5xx', 'faults'],
        [
          ['public routes, signed out', b.public.cases, b.public.routes.size, b.public.injections, classes(b.public), b.public.faults.length],
          ['import previews (editor)', b.imports.cases, b.imports.routes.size, b.imports.injections, classes(b.imports), b.imports.faults.length],
          ['feature writes (editor)', b.writes.cases, b.writes.routes.size, b.writes.injections, classes(b.writes), b.writes.faults.length],
        ],
      ),
      '',
      `Stored data after the public requests and previews: **${b.unchanged ? 'unchanged' : 'CHANGED'}** (digest of every table and sequence). ` +
        `Writes: ${b.writes.accepted} accepted, ${b.writes.acceptedRecorded} of them with exactly one history entry; ${b.writes.cases - b.writes.accepted} refused, ${b.writes.refusedClean} of them without a trace. ` +
        `Server ${b.alive ? 'healthy after the run' : '**not healthy after the run**'}.`,
    );
    const faults = [...b.public.faults, ...b.imports.faults, ...b.writes.faults];
    if (faults.length) parts.push('', 'Faults:', '', ...faults.slice(0, 20).map((f) => `- \`${f.replace(/`/g, "'")}\``));
  }
  return parts.join('\n');
}

const all: BackendFigures[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-fuzz-'));
try {
  console.log('PGlite…');
  all.push(await fuzz('PGlite (embedded)', { DATA_DIR: dataDir }));
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
const postgres = await benchPostgres('fuzz');
if (postgres) {
  try {
    console.log('PostgreSQL…');
    all.push(await fuzz('PostgreSQL', { DATABASE_URL: postgres.url }));
  } finally {
    await postgres.drop?.();
  }
} else console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
const text = markdown(all);
console.log(`\n${text}`);
if (write) writeSection('fuzz', text);
