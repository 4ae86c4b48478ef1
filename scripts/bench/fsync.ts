// What durability costs on the embedded database: edits per second, one after another as
// editors make them (each its own transaction through the one write path, applyChange),
// with fsync on (the default: a commit is acknowledged once its WAL is on disk) and off,
// on the same data directory in the same run; and on PostgreSQL (fsync on) for reference.
//   npx tsx scripts/bench/fsync.ts [--edits 300]
// Writes its figures to docs/PERFORMANCE.md (section "fsync").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../server/db/adapter.ts';
import { openDatabase } from '../../server/db/open.ts';
import { isPgliteDatabase } from '../../server/db/pglite.ts';
import { applyChange } from '../../server/features/changes.ts';
import { tables } from '../../server/layers/tables.ts';
import { prepareDatabase } from '../../server/prepare.ts';
import { machine, table, writeSection } from '../reliability/report.ts';
import { benchPostgres } from './postgres.ts';
import { performanceDoc } from './sampling.ts';
import { numberOption } from './args.ts';

const edits = numberOption('edits', 300);
const quiet = () => {};

type Row = { label: string; perSecond: number; msPerEdit: number; fsyncsPerEdit: number | null };

async function measure(label: string, db: Database): Promise<Row> {
  const [zone] = await db.query<{ id: string }>("SELECT id FROM zones ORDER BY id LIMIT 1");
  const edit = (i: number) => db.transaction((tx) => applyChange(tx, tables.zones, { action: 'update', id: zone!.id, values: { notes: `edit ${i}` } }, 'bench'));
  for (let i = 0; i < 10; i++) await edit(i); // warm
  const fsyncsBefore = isPgliteDatabase(db) ? (await db.stats()).fsyncs : null;
  const started = performance.now();
  for (let i = 0; i < edits; i++) await edit(i);
  const seconds = (performance.now() - started) / 1000;
  const fsyncs = isPgliteDatabase(db) && fsyncsBefore !== null ? ((await db.stats()).fsyncs - fsyncsBefore) / edits : null;
  const row = { label, perSecond: edits / seconds, msPerEdit: (seconds * 1000) / edits, fsyncsPerEdit: fsyncs };
  console.log(row);
  return row;
}

const rows: Row[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-bench-fsync-'));
try {
  const config = { databaseUrl: undefined, dataDir, dbPoolMax: 1 };
  await (await prepareDatabase(config, quiet)).close();
  // Alternating, twice each, so a change in the machine's load does not favour one.
  for (const round of [1, 2]) {
    for (const embeddedFsync of [true, false]) {
      const db = await openDatabase({ ...config, embeddedFsync });
      try {
        rows.push(await measure(`PGlite, fsync ${embeddedFsync ? 'on (default)' : 'off'} — round ${round}`, db));
      } finally {
        await db.close();
      }
    }
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
const postgres = await benchPostgres('fsync');
if (postgres) {
  try {
    const db = await prepareDatabase({ databaseUrl: postgres.url, dataDir: '', dbPoolMax: 2 }, quiet);
    try {
      rows.push(await measure('PostgreSQL (fsync on, synchronous_commit on)', db));
    } finally {
      await db.close();
    }
  } finally {
    await postgres.drop?.();
  }
}

const mean = (label: RegExp) => {
  const picked = rows.filter((r) => label.test(r.label));
  return picked.reduce((sum, r) => sum + r.perSecond, 0) / picked.length;
};
const on = mean(/fsync on \(default\)/);
const off = mean(/fsync off/);
const markdown = [
  `Measured by \`scripts/bench/fsync.ts\` on ${new Date().toISOString().slice(0, 10)} (${machine()}): ${edits} edits one after another, ` +
    'each a transaction through `applyChange` (lock, version check, update, history row), on a migrated and seeded database.',
  table(
    ['database', 'edits/s', 'ms per edit', 'fsync calls per edit'],
    rows.map((r) => [r.label, r.perSecond.toFixed(0), r.msPerEdit.toFixed(1), r.fsyncsPerEdit === null ? '—' : r.fsyncsPerEdit.toFixed(1)]),
  ),
  `With fsync the embedded database makes ${on.toFixed(0)} edits/s against ${off.toFixed(0)} without (${(on / off).toFixed(2)} ×). ` +
    'A person editing makes a few edits a minute and an import is one transaction, so durability stays on by default; ' +
    '`EMBEDDED_FSYNC=off` trades it for speed where losing the last edits to a power cut is acceptable (a throw-away demo).',
].join('\n\n');
console.log(`\n${markdown}`);
writeSection('fsync', `## Durability: the cost of fsync\n\n${markdown}`, performanceDoc);
