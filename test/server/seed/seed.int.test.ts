import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { applyChange } from '../../../server/features/changes.ts';
import { tables } from '../../../server/layers/tables.ts';
import { geodataDir } from '../../../server/prepare.ts';
import { seedDatabase, SEED_ACTOR } from '../../../server/seed/seed.ts';
import { describeEachBackend } from '../../support/backends.ts';

type Fc = { type: string; features: { id: string; properties: Record<string, unknown>; geometry: unknown }[] };

// A private copy of geodata/seed (base layers linked, they are large and read-only).
async function geodataCopy(): Promise<{ dir: string; edit(file: string, fn: (fc: Fc) => void): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'geodata-'));
  await fs.symlink(path.join(geodataDir, 'base'), path.join(dir, 'base'));
  await fs.cp(path.join(geodataDir, 'seed'), path.join(dir, 'seed'), { recursive: true });
  return {
    dir,
    async edit(file, fn) {
      const target = path.join(dir, 'seed', file);
      const fc = JSON.parse(await fs.readFile(target, 'utf8')) as Fc;
      fn(fc);
      await fs.writeFile(target, JSON.stringify(fc));
    },
  };
}

const counts = async (db: import('../../../server/db/adapter.ts').Database) =>
  Object.fromEntries(
    await Promise.all(
      ['zones', 'border_gates', 'border_markers', 'projects', 'planning_areas', 'communes', 'base_features', 'feature_history', 'sources'].map(
        async (t) => [t, (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0]!.n] as const,
      ),
    ),
  );

describeEachBackend('seeding', ({ db }) => {
  let geodata: Awaited<ReturnType<typeof geodataCopy>>;
  beforeEach(async () => {
    geodata = await geodataCopy();
  });
  afterEach(async () => {
    await fs.rm(geodata.dir, { recursive: true, force: true });
  });

  it('is idempotent: a restart seeds nothing twice', async () => {
    const before = await counts(db());
    const report = await seedDatabase(db(), geodata.dir);
    expect(await counts(db())).toEqual(before);
    for (const c of Object.values(report.tables)) expect(c).toMatchObject({ created: 0, updated: 0, removed: 0 });
    expect(Object.values(report.baseLayers).every((v) => v === 'unchanged')).toBe(true);
  });

  it('records every seeded feature in the history as created by the seed', async () => {
    const rows = await db().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM zones z WHERE NOT EXISTS (SELECT 1 FROM feature_history h WHERE h.table_name = 'zones' AND h.feature_id = z.id AND h.action = 'create' AND h.actor = $1)",
      [SEED_ACTOR],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('updates untouched features from newer seed data, and removes dropped ones', async () => {
    const [gate] = await db().query<{ id: string; version: number }>('SELECT id, version FROM border_gates ORDER BY id LIMIT 1');
    await geodata.edit('border_gates.geojson', (fc) => {
      fc.features.find((f) => f.id === gate!.id)!.properties.notes = 'newer seed note';
    });
    const report = await seedDatabase(db(), geodata.dir);
    expect(report.tables.border_gates).toMatchObject({ updated: 1, created: 0 });
    const [after] = await db().query<{ notes: string; version: number }>('SELECT notes, version FROM border_gates WHERE id = $1', [gate!.id]);
    expect(after).toEqual({ notes: 'newer seed note', version: gate!.version + 1 });

    const [marker] = await db().query<{ id: string }>('SELECT id FROM border_markers ORDER BY id LIMIT 1');
    await geodata.edit('border_markers.geojson', (fc) => {
      fc.features = fc.features.filter((f) => f.id !== marker!.id);
    });
    expect((await seedDatabase(db(), geodata.dir)).tables.border_markers).toMatchObject({ removed: 1 });
    expect(await db().query('SELECT id FROM border_markers WHERE id = $1', [marker!.id])).toEqual([]);
  });

  it("never overwrites an editor's change with seed data", async () => {
    const [zone] = await db().query<{ id: string }>('SELECT id FROM zones ORDER BY id LIMIT 1');
    await db().transaction((tx) =>
      applyChange(tx, tables.zones, { action: 'update', id: zone!.id, values: { notes: 'planner knows better' } }, 'planner@example'),
    );
    await geodata.edit('zones.geojson', (fc) => {
      fc.features.find((f) => f.id === zone!.id)!.properties.notes = 'seed says otherwise';
    });
    const report = await seedDatabase(db(), geodata.dir);
    expect(report.tables.zones).toMatchObject({ keptEdited: 1, updated: 0 });
    const [row] = await db().query<{ notes: string }>('SELECT notes FROM zones WHERE id = $1', [zone!.id]);
    expect(row!.notes).toBe('planner knows better');
  });

  it('rolls back completely when any seed feature is invalid', async () => {
    const before = await counts(db());
    await geodata.edit('zones.geojson', (fc) => {
      fc.features.push({ ...fc.features[0]!, id: 'new-valid-zone' });
      fc.features.push({ ...fc.features[0]!, id: 'broken-zone', properties: { ...fc.features[0]!.properties, status: 'not-a-status' } });
    });
    await expect(seedDatabase(db(), geodata.dir)).rejects.toThrow();
    expect(await counts(db())).toEqual(before);
  });
});
