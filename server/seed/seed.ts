// Fills the database from geodata/ on first start and keeps it in step with newer
// seed files later, without ever overwriting an editor's change:
// - base layers are reloaded when their files change;
// - a seeded feature is updated (or removed) only while its last change is the seed's.
// Everything runs in one transaction: a failed seed leaves nothing half-written.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { STARTUP_STATEMENT_TIMEOUT_MS, type Database, type Queryable } from '../db/adapter.ts';
import { applyChange, type Geometry } from '../features/changes.ts';
import { tables, type TableName } from '../layers/tables.ts';
import { COUNT_VIEWS_SQL, INSERT_VIEW_SQL } from '../views/queries.ts';
import { baseLayerLoads, communeFiles, loadBaseLayer, loadCommunes } from './base-layers.ts';

export const SEED_ACTOR = 'seed';
// Bump when the way base files are loaded changes, to reload them once.
const BASE_LOADER_VERSION = '1';

const seededTables = ['zones', 'border_gates', 'border_markers', 'projects', 'planning_areas'] as const satisfies readonly TableName[];

type SeedFeature = { id: string; properties: Record<string, unknown>; geometry: Geometry };
type FeatureCounts = { created: number; updated: number; removed: number; keptEdited: number; unchanged: number };
export type SeedReport = {
  sources: number;
  baseLayers: Record<string, number | 'unchanged'>;
  tables: Record<string, FeatureCounts>;
  savedViews: number | 'kept';
};

export async function seedDatabase(
  db: Database,
  geodataDir: string,
  log: (line: string) => void = () => {},
): Promise<SeedReport> {
  const readJson = async <T>(relative: string) => JSON.parse(await fs.readFile(path.join(geodataDir, relative), 'utf8')) as T;
  const rawFile = (relative: string) => fs.readFile(path.join(geodataDir, relative));
  const hash = (...parts: (string | Buffer)[]) => {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    return h.digest('hex');
  };

  // Read everything before opening the transaction: PGlite runs one thing at a time.
  const sources = [
    ...(await readJson<SourceRow[]>('base/sources.json')),
    ...(await readJson<SourceRow[]>('seed/sources.json')),
  ];
  const baseFiles = new Map<string, Buffer>();
  for (const file of [...Object.values(communeFiles), ...baseLayerLoads.map((l) => l.file)]) {
    baseFiles.set(file, await rawFile(`base/${file}`));
  }
  const seedFiles = new Map<string, SeedFeature[]>();
  for (const table of seededTables) {
    seedFiles.set(table, (await readJson<{ features: SeedFeature[] }>(`seed/${table}.geojson`)).features);
  }
  const parse = (file: string) => (JSON.parse(baseFiles.get(file)!.toString('utf8')) as { features: never[] }).features;
  const views = await readJson<SavedView[]>('seed/saved_views.json');

  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('lang-son-gis:seed'))");
    const report: SeedReport = { sources: await upsertSources(tx, sources), baseLayers: {}, tables: {}, savedViews: 'kept' };
    log(`sources: ${report.sources}`);

    const communesHash = hash(BASE_LOADER_VERSION, ...Object.values(communeFiles).map((f) => baseFiles.get(f)!));
    if (await changed(tx, 'base:communes', communesHash)) {
      report.baseLayers.communes = await loadCommunes(tx, {
        detail: parse(communeFiles.detail),
        display: parse(communeFiles.display),
        labels: parse(communeFiles.labels),
      });
      await remember(tx, 'base:communes', communesHash);
    } else report.baseLayers.communes = 'unchanged';
    log(`base layer communes: ${report.baseLayers.communes}`);

    for (const load of baseLayerLoads) {
      const key = `base:${load.layer}`;
      const contentHash = hash(BASE_LOADER_VERSION, baseFiles.get(load.file)!, JSON.stringify(load));
      if (await changed(tx, key, contentHash)) {
        report.baseLayers[load.layer] = await loadBaseLayer(tx, load, parse(load.file));
        await remember(tx, key, contentHash);
      } else report.baseLayers[load.layer] = 'unchanged';
      log(`base layer ${load.layer}: ${report.baseLayers[load.layer]}`);
    }

    // Base layers no longer declared are dropped with their state.
    const declared = baseLayerLoads.map((l) => l.layer);
    await tx.query('DELETE FROM base_features WHERE NOT (layer = ANY($1::text[]))', [declared]);
    await tx.query(
      "DELETE FROM seed_state WHERE table_name LIKE 'base:%' AND table_name <> 'base:communes' AND NOT (substr(table_name, 6) = ANY($1::text[]))",
      [declared],
    );

    for (const table of seededTables) {
      report.tables[table] = await seedTable(tx, table, seedFiles.get(table)!);
      const c = report.tables[table];
      log(`${table}: ${c.created} created, ${c.updated} updated, ${c.removed} removed, ${c.unchanged} unchanged, ${c.keptEdited} kept as edited`);
    }

    // The presentation's default views, on the first start only: afterwards they are
    // the editors' (reordered, rewritten, deleted), and a new seed must not undo that.
    const [{ n }] = (await tx.query<{ n: number }>(COUNT_VIEWS_SQL)) as [{ n: number }];
    if (n === 0) {
      for (const [i, v] of views.entries()) {
        await tx.query(INSERT_VIEW_SQL, [v.id, i + 1, v.title_vi, v.title_en, v.notes_vi, v.notes_en, v.state, SEED_ACTOR]);
      }
      report.savedViews = views.length;
    }
    log(`saved views: ${report.savedViews}`);
    return report;
  }, { statementTimeoutMs: STARTUP_STATEMENT_TIMEOUT_MS });
}

type SavedView = { id: string; title_vi: string; title_en: string; notes_vi: string | null; notes_en: string | null; state: string };

type SourceRow = { key: string; title: string; publisher: string; date: string; url: string | null; licence: string; note: string | null };

async function upsertSources(tx: Queryable, sources: SourceRow[]): Promise<number> {
  for (const s of sources) {
    await tx.query(
      `INSERT INTO sources (key, title, publisher, published, url, licence, note) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title, publisher = EXCLUDED.publisher,
         published = EXCLUDED.published, url = EXCLUDED.url, licence = EXCLUDED.licence, note = EXCLUDED.note`,
      [s.key, s.title, s.publisher, s.date, s.url, s.licence, s.note],
    );
  }
  return sources.length;
}

async function seedTable(tx: Queryable, tableName: TableName, features: SeedFeature[]): Promise<FeatureCounts> {
  const table = tables[tableName];
  const counts: FeatureCounts = { created: 0, updated: 0, removed: 0, keptEdited: 0, unchanged: 0 };
  const state = new Map(
    (await tx.query<{ feature_id: string; content_hash: string }>(
      'SELECT feature_id, content_hash FROM seed_state WHERE table_name = $1',
      [tableName],
    )).map((r) => [r.feature_id, r.content_hash]),
  );
  const existing = new Set(
    (await tx.query<{ id: string }>(`SELECT id FROM ${tableName}`)).map((r) => r.id),
  );
  const setState = (id: string, contentHash: string) =>
    tx.query(
      `INSERT INTO seed_state (table_name, feature_id, content_hash) VALUES ($1, $2, $3)
       ON CONFLICT (table_name, feature_id) DO UPDATE SET content_hash = EXCLUDED.content_hash`,
      [tableName, id, contentHash],
    );

  for (const feature of features) {
    const contentHash = createHash('sha256').update(JSON.stringify([feature.properties, feature.geometry])).digest('hex');
    const previous = state.get(feature.id);
    state.delete(feature.id);
    if (!existing.has(feature.id)) {
      // Seeded before and now gone: an editor deleted it; respect that.
      if (previous !== undefined) {
        counts.keptEdited++;
        continue;
      }
      await applyChange(tx, table, { action: 'create', id: feature.id, values: feature.properties, geometry: feature.geometry }, SEED_ACTOR);
      await setState(feature.id, contentHash);
      counts.created++;
    } else if (previous === contentHash) {
      counts.unchanged++;
    } else if (await lastActorIsSeed(tx, tableName, feature.id)) {
      await applyChange(tx, table, { action: 'update', id: feature.id, values: feature.properties, geometry: feature.geometry }, SEED_ACTOR, 'seed data updated');
      await setState(feature.id, contentHash);
      counts.updated++;
    } else {
      counts.keptEdited++;
    }
  }

  // Features the seed no longer contains: remove them unless an editor has taken them over.
  for (const id of state.keys()) {
    if (existing.has(id) && (await lastActorIsSeed(tx, tableName, id))) {
      await applyChange(tx, table, { action: 'delete', id }, SEED_ACTOR, 'removed from seed data');
      counts.removed++;
    }
    await tx.query('DELETE FROM seed_state WHERE table_name = $1 AND feature_id = $2', [tableName, id]);
  }
  return counts;
}

async function lastActorIsSeed(tx: Queryable, tableName: string, id: string): Promise<boolean> {
  const [row] = await tx.query<{ actor: string }>(
    'SELECT actor FROM feature_history WHERE table_name = $1 AND feature_id = $2 ORDER BY id DESC LIMIT 1',
    [tableName, id],
  );
  return row?.actor === SEED_ACTOR;
}

async function changed(tx: Queryable, key: string, contentHash: string): Promise<boolean> {
  const [row] = await tx.query<{ content_hash: string }>(
    "SELECT content_hash FROM seed_state WHERE table_name = $1 AND feature_id = '*'",
    [key],
  );
  return row?.content_hash !== contentHash;
}

function remember(tx: Queryable, key: string, contentHash: string) {
  return tx.query(
    `INSERT INTO seed_state (table_name, feature_id, content_hash) VALUES ($1, '*', $2)
     ON CONFLICT (table_name, feature_id) DO UPDATE SET content_hash = EXCLUDED.content_hash`,
    [key, contentHash],
  );
}
