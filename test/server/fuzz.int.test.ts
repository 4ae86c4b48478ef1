// Property: whatever arrives — any parameter of any public route, hostile headers,
// malformed bodies, SQL injection attempts — the server answers below 500, errors are
// JSON {error, detail}, the stored data is unchanged, and it keeps serving.
import fc from 'fast-check';
import { Pool } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PrintRenderer, type PrintOptions } from '../../server/print/renderer.ts';
import { databaseDigest, type DatabaseDigest } from '../../scripts/lib/table-digest.ts';
import { fault, hostileRequest, hostileRoutes, send } from '../../scripts/reliability/hostile-requests.ts';
import { describeEachBackend } from '../support/backends.ts';
import { startTestServer, type TestServer } from '../support/http.ts';

/** Cases per backend: ≥ 500 overall on each. */
const RUNS = 1000;

/** Prints nothing: records which page would have been printed. */
class RecordingPrinter extends PrintRenderer {
  readonly urls: string[] = [];
  constructor() {
    super('/nonexistent/chromium');
  }
  override available(): boolean {
    return true;
  }
  override async render(url: string, _options: PrintOptions): Promise<Buffer> {
    this.urls.push(url);
    return Buffer.from('printed');
  }
}

describeEachBackend('hostile input to every public route', ({ db }) => {
  let server: TestServer;
  let pool: Pool;
  let before: DatabaseDigest;
  const printer = new RecordingPrinter();
  beforeAll(async () => {
    before = await databaseDigest(db());
    server = await startTestServer(db(), { printer });
    pool = new Pool(server.url, { connections: 4 });
  });
  afterAll(async () => {
    await pool?.close();
    await server?.close();
  });

  it(`answers ${RUNS} generated requests below 500, with JSON errors`, async () => {
    const reached = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (request) => {
        reached.set(request.route, (reached.get(request.route) ?? 0) + 1);
        const answer = await send(pool, request);
        expect(fault(request, answer), `${request.method} ${request.path}`).toBeNull();
      }),
      { numRuns: RUNS },
    );
    // Every route was reached, so every parameter was drawn.
    expect(hostileRoutes.filter((r) => !reached.has(r))).toEqual([]);
  });

  it('changed no stored row and keeps serving', async () => {
    expect(await databaseDigest(db())).toEqual(before);
    expect((await server.get('/api/health')).status).toBe(200);
  });

  it('printed only pages of this very server', () => {
    expect(printer.urls.length).toBeGreaterThan(0);
    for (const url of printer.urls) expect(url.startsWith(`${server.url}/#`) || url.startsWith(`${server.url}/api/reports/inventory.html?`), url).toBe(true);
  });
});
