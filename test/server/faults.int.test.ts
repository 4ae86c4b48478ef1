// The real server (server/main.ts, a child process) under faults: killed with SIGKILL
// in the middle of a stream of edits, its database connection cut while it serves, and
// stopped with SIGTERM while a request is in flight. The server owns its database here,
// so each case runs per backend on a database of its own (test/support/server-database.ts).
import net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type RunningServer } from '../../scripts/lib/server-process.ts';
import { clientFor, type Client } from '../support/auth.ts';
import { backendNames } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { serverDatabase, type ServerDatabase } from '../support/server-database.ts';

const ADMIN = { ADMIN_USERNAME: 'fault-admin', ADMIN_PASSWORD: 'fault admin password' };

async function signedIn(server: RunningServer): Promise<Client> {
  const target = { request: (path: string, init?: RequestInit) => fetch(`${server.origin}${path}`, init) };
  const res = await target.request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: ADMIN.ADMIN_USERNAME, password: ADMIN.ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return clientFor(target as never, { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: csrfToken, role: 'admin' });
}

const cluster = (name: string) => ({
  properties: { name_vi: name, name_en: name, status: 'planned', sources: ['SEED-001'], source_date: '2025-12-01', accuracy: 'surveyed' },
  geometry: { type: 'Polygon', coordinates: [[[106.5, 21.6], [106.51, 21.6], [106.51, 21.61], [106.5, 21.6]]] },
});

type Feature = { id: string; properties: { name_vi: string; notes: string | null; version: number } };

/** Answers while the server or its database is down: anything but a 5xx other than a proper 503. */
function expectServedOrUnavailable(status: number, headers: Headers, body: string) {
  if (status < 500) return;
  expect(status, body).toBe(503);
  expect(headers.get('retry-after')).toMatch(/^\d+$/);
  expect(JSON.parse(body)).toMatchObject({ error: expect.any(String), detail: expect.any(String) });
}

describe.each(backendNames())('faults [%s]', (backend) => {
  let database: ServerDatabase;
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await database?.dispose();
  });

  it(
    'keeps every acknowledged edit and no partial one when killed with SIGKILL mid-stream',
    async () => {
      database = await serverDatabase(backend);
      const env = { PORT: '0', ...database.env, ...ADMIN };
      server = await startServerProcess(env);
      const admin = await signedIn(server);

      // Three writers, each: create a cluster, then update it once. A write counts as
      // acknowledged only when its answer arrived.
      const acknowledged = new Map<string, { name: string; version: number; notes: string | null }>();
      let attempted = 0;
      let killed = false;
      const writer = async (w: number) => {
        for (let n = 0; !killed; n++) {
          const name = `Crash ${w}-${n}`;
          attempted++;
          try {
            const created = await admin.send('POST', '/api/features/industrial_clusters', cluster(name));
            if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
            const { feature } = (await created.json()) as { feature: Feature };
            acknowledged.set(feature.id, { name, version: 1, notes: null });
            const updated = await admin.send('PATCH', `/api/features/industrial_clusters/${feature.id}`, { properties: { notes: `edit ${n}` } }, { 'If-Match': '"1"' });
            if (updated.status !== 200) throw new Error(`update: ${updated.status} ${await updated.text()}`);
            acknowledged.set(feature.id, { name, version: 2, notes: `edit ${n}` });
          } catch (error) {
            if (!killed) throw error;
          }
        }
      };
      const writers = [0, 1, 2].map(writer);
      await eventually(async () => expect(acknowledged.size).toBeGreaterThanOrEqual(9), { timeoutMs: 60_000, intervalMs: 50 });
      killed = true;
      server.child.kill('SIGKILL');
      await Promise.all(writers);
      await new Promise((resolve) => (server!.child.exitCode !== null || server!.child.signalCode ? resolve(null) : server!.child.once('exit', resolve)));
      expect(server.child.signalCode).toBe('SIGKILL');

      server = await startServerProcess(env);
      const reader = await signedIn(server);
      for (const [id, expected] of acknowledged) {
        const res = await reader.send('GET', `/api/features/industrial_clusters/${id}`);
        expect(res.status, id).toBe(200);
        const { properties } = (await res.json()) as Feature;
        expect(properties.name_vi).toBe(expected.name);
        // An update in flight at the kill may have committed after all, never half.
        expect(properties.version).toBeGreaterThanOrEqual(expected.version);
        if (expected.version === 2) expect(properties.notes).toBe(expected.notes);
      }
      // No partial write: every crash feature has exactly one history entry per version
      // (row and history are written in one transaction), and none appeared from nowhere.
      const layer = (await (await reader.send('GET', '/api/layers/industrial_clusters')).json()) as { features: Feature[] };
      const crashed = layer.features.filter((f) => f.properties.name_vi.startsWith('Crash '));
      expect(crashed.length).toBeGreaterThanOrEqual(acknowledged.size);
      expect(crashed.length).toBeLessThanOrEqual(attempted);
      for (const feature of crashed) {
        const history = (await (await reader.send('GET', `/api/features/industrial_clusters/${feature.id}/history`)).json()) as { entries: unknown[] };
        expect(history.entries, feature.id).toHaveLength(feature.properties.version);
        expect(feature.properties.notes === null).toBe(feature.properties.version === 1);
      }
    },
    240_000,
  );

  it(
    'drains a request in flight at SIGTERM, refusing new connections, then exits 0',
    async () => {
      const running = server!;
      const { port } = new URL(running.origin);
      // A request whose body is still coming when the signal arrives.
      const socket = net.connect(Number(port), '127.0.0.1');
      const body = JSON.stringify({ text: '1, 2417000, 560000\n2, 2417100, 560000\n3, 2417100, 560100' });
      const answer = new Promise<string>((resolve, reject) => {
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(`POST /api/vn2000/parcel HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<number | null>((resolve) => running.child.once('exit', (code) => resolve(code)));
      running.child.kill('SIGTERM');
      await eventually(async () => expect(running.output()).toContain('SIGTERM: finishing open requests'), { timeoutMs: 10_000 });
      // No new connections once stopping.
      await expect(fetch(`${running.origin}/api/layers`)).rejects.toThrow();
      socket.write(body);
      const text = await answer;
      expect(text).toMatch(/^HTTP\/1\.1 200 /);
      expect(text).toContain('"plane_m2"');
      expect(await exited).toBe(0);
      expect(running.output()).toContain('Stopped.');
      server = undefined;
    },
    60_000,
  );

  it.runIf(backend === 'postgres')(
    'answers 503 while its database is unreachable, never crashes, and reconnects (LISTEN too)',
    async () => {
      const target = new URL(database.url!);
      const proxy = await tcpProxy(target.hostname, Number(target.port));
      const viaProxy = new URL(database.url!);
      viaProxy.port = String(proxy.port);
      server = await startServerProcess({ PORT: '0', DATABASE_URL: viaProxy.toString() });
      const running = server;

      // Requests that need the database every time: health, distinct tiles (cache misses), OGC pages.
      let n = 0;
      const probe = async () => {
        n++;
        const path = [`/api/health`, `/tiles/communes/13/${6480 + (n % 50)}/${3560 + Math.floor(n / 50)}.mvt`, `/ogc/collections/communes/items?limit=1&offset=${n % 60}`][n % 3]!;
        const res = await fetch(`${running.origin}${path}`);
        const text = await res.text();
        expectServedOrUnavailable(res.status, res.headers, text);
        return res.status;
      };
      for (let i = 0; i < 10; i++) expect(await probe()).toBeLessThan(500);

      proxy.cut();
      const during: number[] = [];
      const until = Date.now() + 3000;
      while (Date.now() < until) during.push(await probe());
      expect(during.filter((s) => s === 503).length).toBeGreaterThan(0);
      expect(running.child.exitCode).toBeNull();

      await proxy.restore();
      await eventually(async () => expect((await fetch(`${running.origin}/api/health`)).status).toBe(200), { timeoutMs: 20_000, intervalMs: 200 });
      for (let i = 0; i < 10; i++) expect(await probe()).toBeLessThan(500);

      // A change made behind the server's back reaches it: its LISTEN connection is back.
      const before = (await (await fetch(`${running.origin}/api/layers/border_gates`)).json()) as { features: { id: string; properties: { name_en: string } }[] };
      const gate = before.features[0]!;
      const direct = new pg.Client({ connectionString: database.url });
      await direct.connect();
      await direct.query('UPDATE border_gates SET name_en = $1 WHERE id = $2', ['Renamed behind the server', gate.id]);
      await direct.end();
      await eventually(
        async () => {
          const after = (await (await fetch(`${running.origin}/api/layers/border_gates`)).json()) as typeof before;
          expect(after.features.find((f) => f.id === gate.id)!.properties.name_en).toBe('Renamed behind the server');
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      expect(running.child.exitCode).toBeNull();
      await running.stop();
      await proxy.close();
      server = undefined;
    },
    120_000,
  );
});

/**
 * A TCP proxy to PostgreSQL that can be cut (every connection dropped, new ones
 * refused), as a database restart looks from the server, and restored on the same port.
 */
async function tcpProxy(host: string, port: number) {
  const open = new Set<net.Socket>();
  let listener: net.Server | undefined;
  let proxyPort = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const server = net.createServer((client) => {
        const upstream = net.connect(port, host);
        for (const socket of [client, upstream]) {
          open.add(socket);
          socket.on('error', () => {});
          socket.on('close', () => {
            open.delete(socket);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(proxyPort, '127.0.0.1', () => {
        proxyPort = (server.address() as net.AddressInfo).port;
        listener = server;
        resolve();
      });
    });
  const cut = () => {
    listener?.close();
    listener = undefined;
    for (const socket of open) socket.destroy();
  };
  await listen();
  return {
    port: proxyPort,
    cut,
    restore: listen,
    close: async () => cut(),
  };
}
