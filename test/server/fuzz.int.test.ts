// Property: whatever arrives — any parameter of any public route, hostile headers,
// malformed bodies, SQL injection attempts, and from a signed-in editor any feature
// body and any file to import — the server answers below 500, errors are JSON
// {error, detail}, nothing is stored but what a successful write reports, and it keeps serving.
import fc from 'fast-check';
import { Pool } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { databaseDigests, type Digests } from '../../scripts/lib/table-digest.ts';
import { carriesInjection, fault, FUZZ_HEAVY_WORK, hostileImport, hostileRequest, hostileRoutes, hostileWrite, hostileWriteRoutes, RecordingPrinter, send } from '../../scripts/reliability/hostile-requests.ts';
import { userClient } from '../support/auth.ts';
import { describeEachBackend } from '../support/backends.ts';
import { startTestServer, type TestServer } from '../support/http.ts';

/** Cases per backend: public requests, import previews and writes (≥ 500 in all on each). */
const RUNS = 1000;
const IMPORT_RUNS = 150;
const WRITE_RUNS = 250;

describeEachBackend('hostile input to every public route', ({ db }) => {
  let server: TestServer;
  let pool: Pool;
  let before: Digests;
  const printer = new RecordingPrinter();
  beforeAll(async () => {
    before = await databaseDigests(db());
    // The write rate limit would turn most generated writes into 429s, and the heavy-work
    // rates most analyses, prints and imports: lifted here, tested on their own.
    server = await startTestServer(db(), { printer, env: { WRITE_RATE_PER_MINUTE: '100000' }, heavyWork: FUZZ_HEAVY_WORK });
    pool = new Pool(server.url, { connections: 4 });
  });
  afterAll(async () => {
    await pool?.close();
    await server?.close();
  });

  it(`answers ${RUNS} generated requests below 500, with JSON errors`, async () => {
    const reached = new Map<string, number>();
    let injections = 0;
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (request) => {
        reached.set(request.route, (reached.get(request.route) ?? 0) + 1);
        if (carriesInjection(request)) injections++;
        const answer = await send(pool, request);
        expect(fault(request, answer), `${request.method} ${request.path}`).toBeNull();
      }),
      { numRuns: RUNS },
    );
    // Every route was reached, so every parameter was drawn; many carried SQL injections
    // (whose lack of effect the digest below checks).
    expect(hostileRoutes.filter((r) => !reached.has(r))).toEqual([]);
    expect(injections).toBeGreaterThan(RUNS / 10);
  });

  it(`answers ${IMPORT_RUNS} generated import previews below 500`, async () => {
    const editor = await userClient(db(), server, 'editor', 'fuzz-importer');
    // Signing in wrote a session: the digest to keep is the one from here on.
    before = await databaseDigests(db());
    await fc.assert(
      fc.asyncProperty(hostileImport, async (request) => {
        const answer = await send(pool, { ...request, headers: { ...request.headers, cookie: editor.cookie!, 'x-csrf-token': editor.csrf! } });
        expect(fault(request, answer), `${request.method} ${request.path}`).toBeNull();
      }),
      { numRuns: IMPORT_RUNS },
    );
  });

  it('changed no stored row and keeps serving', async () => {
    expect(await databaseDigests(db())).toEqual(before);
    expect((await server.get('/api/health')).status).toBe(200);
  });

  it(`answers ${WRITE_RUNS} generated writes below 500, each refused one leaving no trace`, async () => {
    const editor = await userClient(db(), server, 'editor', 'fuzz-editor');
    const changes = async () => (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM feature_history'))[0]!.n;
    const reached = new Set<string>();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(hostileWrite, async (request) => {
        reached.add(request.route);
        const earlier = await changes();
        const answer = await send(pool, { ...request, headers: { ...request.headers, cookie: editor.cookie!, 'x-csrf-token': editor.csrf! } });
        expect(fault(request, answer), `${request.method} ${request.path} ${String(request.body).slice(0, 300)}`).toBeNull();
        // Every write records one history entry in its transaction: a refusal records none.
        const recorded = (await changes()) - earlier;
        expect(recorded, `${answer.status} ${answer.body.slice(0, 200)}`).toBe(answer.status < 300 ? 1 : 0);
        if (answer.status < 300) accepted++;
      }),
      { numRuns: WRITE_RUNS },
    );
    expect([...reached].sort()).toEqual([...hostileWriteRoutes].sort());
    // Both outcomes were exercised: some writes were accepted, not only refused.
    expect(accepted).toBeGreaterThan(0);
    // Whatever was accepted is served.
    for (const layer of ['industrial_parks', 'industrial_clusters', 'border_gates']) expect((await server.get(`/api/layers/${layer}`)).status).toBe(200);
  });

  it('printed only pages of this very server', () => {
    expect(printer.urls.length).toBeGreaterThan(0);
    for (const url of printer.urls) expect(url.startsWith(`${server.url}/#`) || url.startsWith(`${server.url}/api/reports/inventory.html?`), url).toBe(true);
  });
});
