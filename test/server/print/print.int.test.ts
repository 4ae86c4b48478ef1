// Printing ends when its requester leaves, waits in a bounded line, and is rated per
// caller. Real headless Chromium prints stub pages: one that never becomes ready (as a
// map whose tiles never arrive) and one that is ready at once. The database is only
// there for the app; printing does not depend on the backend, so one is enough.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { PrintRenderer, type PrintOptions } from '../../../server/print/renderer.ts';
import { openTestDatabase } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

type Stats = { running: number; waiting: number; busy: number; limited: number };

/** Prints a stub page instead of ours: the never-ready one when the map's title says 'never'. */
class StubPagePrinter extends PrintRenderer {
  constructor(private readonly stubOrigin: () => string) {
    super(loadConfig().chromiumPath);
  }
  override render(url: string, options: PrintOptions, waitForReadyFlag: boolean, signal: AbortSignal): Promise<Buffer> {
    return super.render(`${this.stubOrigin()}/${url.includes('title=never') ? 'never' : 'ready'}`, options, waitForReadyFlag, signal);
  }
}

const NEVER = '/api/print/map.pdf?title=never';
const READY = '/api/print/map.pdf?title=ready';

let opened: Awaited<ReturnType<typeof openTestDatabase>>;
let stub: http.Server;
let stubOrigin = '';
/** Pages Chromium asked the stub for, in order (not its favicon). */
const asked: string[] = [];
beforeAll(async () => {
  opened = await openTestDatabase('pglite');
  stub = http.createServer((req, res) => {
    if (req.url !== '/favicon.ico') asked.push(req.url!);
    const ready = req.url === '/ready' ? '<script>window.lsgisPrintReady = true</script>' : '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>stub</title><p>${req.url}</p>${ready}`);
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  stubOrigin = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => stub.close(resolve));
  await opened?.dispose();
});

let server: TestServer;
const serve = async (print: { concurrency: number; queue: number; perMinute: number }) => {
  server = await startTestServer(opened.db, { printer: new StubPagePrinter(() => stubOrigin), heavyWork: { print } });
};
afterEach(() => server.close());

const prints = async () => ((await (await server.get('/api/health')).json()) as { heavyWork: { print: Stats } }).heavyWork.print;
/** A print whose client can leave; settles (to null if it left) whatever happens. */
const leavable = (path: string) => {
  const controller = new AbortController();
  const answer = server.request(path, { signal: controller.signal }).catch(() => null);
  return { leave: () => controller.abort(), answer };
};

it('closes the page of a client who left at once: the next print gets the freed place', async () => {
  await serve({ concurrency: 1, queue: 0, perMinute: 100 });
  const gone = leavable(NEVER);
  await eventually(async () => expect(asked).toEqual(['/never']), { timeoutMs: 30_000 });
  expect(await prints()).toMatchObject({ running: 1 });
  gone.leave();
  await gone.answer;
  // Without closing the page, it would wait for the ready flag for a minute.
  await eventually(async () => expect(await prints()).toMatchObject({ running: 0 }));
  const res = await server.get(READY);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
});

it('keeps a bounded line: past it 503 + Retry-After; a waiter who leaves gives up its place', async () => {
  await serve({ concurrency: 1, queue: 1, perMinute: 100 });
  const pagesBefore = asked.length;
  const running = leavable(NEVER);
  await eventually(async () => expect(asked.slice(pagesBefore)).toEqual(['/never']), { timeoutMs: 30_000 });
  const waiting = leavable(NEVER);
  await eventually(async () => expect(await prints()).toMatchObject({ running: 1, waiting: 1 }));
  const refused = await server.get(READY);
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('10');
  expect(await refused.json()).toMatchObject({ error: 'busy', detail: expect.stringMatching(/busy with other prints \(1 in progress, 1 waiting\)/) });
  waiting.leave();
  await waiting.answer;
  await eventually(async () => expect(await prints()).toMatchObject({ running: 1, waiting: 0 }));
  // The place is free again: the next print waits instead of being refused, and gets
  // its turn when the running one's client leaves.
  const next = server.get(READY);
  await eventually(async () => expect(await prints()).toMatchObject({ running: 1, waiting: 1 }));
  running.leave();
  expect((await next).status).toBe(200);
  expect(await prints()).toMatchObject({ running: 0, waiting: 0, busy: 1 });
});

it('answers 429 + Retry-After past the rate of one caller, counting map and inventory prints together', async () => {
  await serve({ concurrency: 2, queue: 2, perMinute: 2 });
  expect((await server.get(READY)).status).toBe(200);
  expect((await server.get('/api/reports/inventory.pdf')).status).toBe(200);
  const pagesBefore = asked.length;
  const limited = await server.get('/api/print/map.png');
  expect(limited.status).toBe(429);
  // 2 a minute: a turn every 30 s, less what has refilled since the first print.
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(30);
  expect(await limited.json()).toMatchObject({ error: 'too_many_requests', detail: expect.stringMatching(/Too many prints from you .*at most 2 a minute/) });
  // Refused before any page was opened.
  expect(asked.length).toBe(pagesBefore);
  expect(await prints()).toMatchObject({ running: 0, limited: 1 });
});
