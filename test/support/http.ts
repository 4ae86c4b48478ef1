// Runs the real Express app on an ephemeral port, so tests speak real HTTP.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { expect } from 'vitest';
import { createApp, type AppDependencies } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Database } from '../../server/db/adapter.ts';
import { RevisionStore } from '../../server/layers/revisions.ts';
import { PrintRenderer } from '../../server/print/renderer.ts';

export type TestServer = {
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
};

/**
 * `printer`: a stand-in for headless Chromium, for tests that print many times;
 * `env`: configuration variables (as the server reads them) other than the defaults;
 * `heavyWork`: limits of heavy work other than the defaults.
 */
export async function startTestServer(
  db: Database,
  {
    printer = new PrintRenderer(loadConfig().chromiumPath),
    env = {} as Record<string, string>,
    heavyWork = undefined as AppDependencies['heavyWork'],
  } = {},
): Promise<TestServer> {
  const revisions = new RevisionStore(db);
  await revisions.start();
  const app = createApp({
    db,
    revisions,
    printer,
    config: loadConfig(env),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    heavyWork,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get: (path, headers = {}) => fetch(`${url}${path}`, { headers }),
    request: (path, init = {}) => fetch(`${url}${path}`, init),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
      await printer.close();
      await revisions.stop();
    },
  };
}

/** Asserts a JSON error answer `{error, detail}` with the given status, code and detail. */
export async function expectError(server: TestServer, path: string, status: number, code: string, detail: RegExp): Promise<void> {
  const res = await server.get(path);
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: string; detail: string };
  expect(body.error).toBe(code);
  expect(body.detail).toMatch(detail);
}
