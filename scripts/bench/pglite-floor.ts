// The least an embedded start costs: open PGlite with PostGIS on a data directory, with
// the server's settings (in this thread, no worker, no server) and run one PostGIS statement. Prints
// {"ms": …, "rss": …} — time to that answer and the resident memory then. Used by start.ts.
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLITE_SETTINGS } from '../../server/db/pglite-settings.ts';
import { residentMemory } from './sampling.ts';

const dataDir = process.argv[2];
if (!dataDir || !fs.existsSync(dataDir)) throw new Error('usage: pglite-floor.ts <pglite data directory>');
const started = performance.now();
const pg = await PGlite.create(dataDir, { extensions: { postgis }, startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
await pg.query('SELECT ST_AsText(ST_Transform(ST_SetSRID(ST_MakePoint(106.76, 21.85), 4326), 3405))');
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, rss: residentMemory(process.pid) }));
await pg.close();
