// Admission control on the real app: requests beyond the limits are answered at once
// with 503 + Retry-After, a waiting request gets its turn or a 503 after the queue
// timeout, and the server serves normally again as soon as the load is gone.
import net from 'node:net';
import { Pool } from 'undici';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

type Load = { inFlight: number; queued: number; shed: number };

describeEachBackend('load shedding', ({ db }) => {
  let server: TestServer;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    server = await startTestServer(db(), { env: { MAX_IN_FLIGHT: '2', MAX_QUEUED: '1', QUEUE_TIMEOUT_MS: '1500' } });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
  });
  afterAll(() => server.close());

  const load = async () => ((await (await server.get('/api/health')).json()) as { load: Load }).load;

  /**
   * A request that holds its place: it announces a body and never sends it, so it is
   * admitted and then waits for the body, as a slow upload over a poor link would.
   */
  const holdSlot = () => {
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.on('error', () => {});
    socket.write('POST /api/vn2000/parcel HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n');
    sockets.push(socket);
    return socket;
  };

  const expectOverloaded = async (res: Response, detail: RegExp) => {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: string; detail: string };
    expect(body.error).toBe('overloaded');
    expect(body.detail).toMatch(detail);
  };

  it('queues one request beyond the limit, refuses the next at once, and serves the queued one when a slot frees', async () => {
    const first = holdSlot();
    holdSlot();
    await eventually(async () => expect((await load()).inFlight).toBe(2));
    const queued = server.get('/api/layers');
    await eventually(async () => expect((await load()).queued).toBe(1));
    const started = Date.now();
    await expectOverloaded(await server.get('/api/sources'), /2 requests in progress and 1 waiting/);
    expect(Date.now() - started).toBeLessThan(1000); // refused at once, not after the queue timeout
    first.destroy();
    expect((await queued).status).toBe(200);
  });

  it('refuses a request that waited longer than the queue timeout', async () => {
    holdSlot();
    holdSlot();
    await eventually(async () => expect((await load()).inFlight).toBe(2));
    const started = Date.now();
    await expectOverloaded(await server.get('/api/layers'), /no turn within 1500 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it('answers a burst at a saturated server with 503 + Retry-After only, and serves normally once the load has gone', async () => {
    const before = (await load()).shed;
    holdSlot();
    holdSlot();
    await eventually(async () => expect((await load()).inFlight).toBe(2));
    const queued = server.get('/api/layers');
    await eventually(async () => expect((await load()).queued).toBe(1));
    const paths = ['/api/layers/border_gates', '/tiles/communes/12/3260/1790.mvt', '/api/search?q=na', '/ogc/collections/communes/items?limit=5'];
    const pool = new Pool(server.url, { connections: 20 });
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        pool.request({ method: 'GET', path: paths[i % paths.length]! }).then(async (r) => ({ status: r.statusCode, retryAfter: r.headers['retry-after'], body: await r.body.text() })),
      ),
    );
    await pool.close();
    for (const answer of burst) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe('1');
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'overloaded' });
    }
    expect((await load()).shed - before).toBe(40);
    // The load goes: the queued request is served, nothing stays counted, and requests
    // one after another are all served.
    for (const socket of sockets.splice(0)) socket.destroy();
    expect((await queued).status).toBe(200);
    await eventually(async () => expect(await load()).toMatchObject({ inFlight: 0, queued: 0 }));
    for (const path of paths) expect((await server.get(path)).status).toBeLessThan(300);
  });
});
