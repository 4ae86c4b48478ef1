// One real server for the browser tests: the built client, on the embedded database,
// started from a copy of a seeded data directory (made once per content version).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildClientIfStale } from '../../../scripts/build-client-if-stale.ts';
import { startServerProcess, type RunningServer } from '../../../scripts/lib/server-process.ts';
import { templateVersion, testCacheDir } from '../../support/templates.ts';
import { openPglite } from '../../../server/db/pglite.ts';
import { pgliteDataDir } from '../../../server/db/open.ts';
import { loadSyntheticParcels } from '../../../scripts/parcels/province.ts';

export const E2E_PARCELS = 300;

declare module 'vitest' {
  export interface ProvidedContext {
    e2eOrigin: string;
    e2eAdmin: { username: string; password: string };
  }
}

/** The first admin, made by the server from its environment (ADMIN_USERNAME/ADMIN_PASSWORD). */
const ADMIN = { username: 'e2e-admin', password: 'e2e admin password' };

let server: RunningServer | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject) {
  buildClientIfStale();
  const seeded = path.join(testCacheDir, `e2e-data-${templateVersion()}`);
  if (!fs.existsSync(seeded)) {
    const building = `${seeded}.building`;
    fs.rmSync(building, { recursive: true, force: true });
    const first = await startServerProcess({ PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: building });
    await first.stop();
    fs.renameSync(building, seeded);
  }
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-e2e-'));
  fs.cpSync(seeded, dataDir, { recursive: true });
  // A few hundred synthetic parcels, loaded by the normal bulk path: the map's
  // tile-delivered layer has something to draw.
  const db = await openPglite({ dataDir: pgliteDataDir(dataDir) });
  try {
    await loadSyntheticParcels(db, { count: E2E_PARCELS, seed: 7 });
  } finally {
    await db.close();
  }
  server = await startServerProcess({ PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir, ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password });
  project.provide('e2eOrigin', server.origin);
  project.provide('e2eAdmin', ADMIN);
}

export async function teardown() {
  // A browser test sees a 500 only as a status: the server's account of it is here.
  const errors = server?.output().split('\n').filter((line) => /"level":(50|60)/.test(line)) ?? [];
  if (errors.length) console.error(`the e2e server logged ${errors.length} error(s):\n${errors.join('\n')}`);
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
