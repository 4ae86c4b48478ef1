// Request bodies are bounded: per route (JSON, coordinate lists, imported files), and
// in front of every route for bodies announced larger than any route accepts.
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BODY_LIMITS } from '../../../server/http/bodies.ts';
import { userClient, type Client } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

const MB = 1024 * 1024;

describeEachBackend('request bodies', ({ db }) => {
  let server: TestServer;
  let editor: Client;
  beforeAll(async () => {
    server = await startTestServer(db());
    editor = await userClient(db(), server, 'editor');
  });
  afterAll(() => server.close());

  const refusedAsTooLarge = async (res: Response) => {
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('payload_too_large');
  };
  // A JSON document of exactly `bytes` bytes.
  const jsonOf = (bytes: number) => `{"note":"${'x'.repeat(bytes - 11)}"}`;

  it('refuses JSON over its limit, announced or chunked', async () => {
    expect(jsonOf(100).length).toBe(100);
    const announced = await server.request('/api/features/industrial_clusters', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: jsonOf(BODY_LIMITS.json + 1) });
    await refusedAsTooLarge(announced);
    // Chunked: no length is announced, the parser stops at the limit.
    const chunks = [jsonOf(BODY_LIMITS.json + 1)];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    await refusedAsTooLarge(
      await server.request('/api/features/industrial_clusters', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit),
    );
  });

  it('takes an import file larger than the JSON limit (up to its own limit)', async () => {
    const file = new Uint8Array(BODY_LIMITS.json + MB).fill(0x20); // blank: read, then refused as no GeoJSON
    const res = await server.request('/api/import/industrial_clusters/preview?filename=big.geojson', {
      method: 'POST',
      headers: { Cookie: editor.cookie!, 'X-CSRF-Token': editor.csrf! },
      body: file,
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toBe('import_failed');
  });

  it('refuses a coordinate list over its limit', async () => {
    const text = 'x'.repeat(BODY_LIMITS.coordinateList);
    await refusedAsTooLarge(await editor.send('POST', '/api/vn2000/parcel', { text }));
  });

  it('refuses a body announced larger than any route takes, at once, on any route, and closes the connection', async () => {
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    // Only the head is sent: the answer must not wait for 60 MB that never come.
    socket.write(`POST /api/layers HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${60 * MB}\r\n\r\n`);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toContain('"error":"payload_too_large"');
  });

  it('reads JSON nested thousands deep without overflowing the stack (found by the fuzz run)', async () => {
    const deep = '['.repeat(20_000) + '"x"' + ']'.repeat(20_000);
    const res = await server.request('/api/no-such-route', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: deep });
    expect(res.status).toBe(404); // no such route: the body was read and checked first
    expect(((await res.json()) as { error: string }).error).toBe('route_not_found');
  });

  it('refuses the NUL character in URLs and JSON text, which PostgreSQL text cannot hold', async () => {
    const url = await server.get('/api/search?q=a%00b');
    expect(url.status).toBe(400);
    expect(((await url.json()) as { error: string }).error).toBe('invalid_character');
    const body = await editor.send('POST', '/api/features/industrial_clusters', { properties: { name_vi: 'a\u0000b' }, geometry: null });
    expect(body.status).toBe(400);
    expect(((await body.json()) as { error: string }).error).toBe('invalid_character');
  });
});
