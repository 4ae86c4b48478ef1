// A real OGC client is the judge: GDAL's OAPIF driver must list every collection and
// download each one completely, paging across several requests.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { layers } from '../../../server/layers/registry.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';
import { loadTestParcels } from '../../support/parcels.ts';

// Asynchronous: the server under test runs in this process and must keep answering.
const run = promisify(execFile);
const PAGE_SIZE = 100;

describeEachBackend('GDAL reads the OGC API', ({ db }) => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    await loadTestParcels(db());
    server = await startTestServer(db());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-gdal-'));
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ogrinfo lists every collection', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-q', `OAPIF:${server.url}/ogc`]);
    const listed = [...stdout.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1]);
    expect(listed).toEqual(layers.map((l) => l.id));
  });

  it('ogr2ogr downloads every collection completely, paging through the large ones', async () => {
    const output = path.join(dir, 'all.gpkg');
    const { stderr } = await run(
      'ogr2ogr',
      ['-f', 'GPKG', output, `OAPIF:${server.url}/ogc`, '-oo', `PAGE_SIZE=${PAGE_SIZE}`, '--debug', 'on'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const { stdout } = await run('ogrinfo', ['-ro', '-so', '-al', output]);
    const downloaded = Object.fromEntries(
      [...stdout.matchAll(/^Layer name: (\S+)[\s\S]*?^Feature Count: (\d+)/gm)].map((m) => [m[1], Number(m[2])]),
    );
    const listed = (await (await server.get('/api/layers')).json()) as { layers: { id: string; featureCount: number }[] };
    expect(downloaded).toEqual(Object.fromEntries(listed.layers.map((l) => [l.id, l.featureCount])));
    expect(downloaded.parcels).toBe(300);
    // 300 parcels in pages of 100: GDAL followed the next links twice.
    const parcelPages = stderr.match(/Fetch\(\S*\/collections\/parcels\/items\S*offset=\d+/g) ?? [];
    expect(new Set(parcelPages).size).toBe(2);
  });
});
