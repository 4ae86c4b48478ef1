import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { migrate, MigrationError, migrationsDir, readMigrations } from '../../../server/db/migrate.ts';
import { describeEachBackend } from '../../support/backends.ts';

describeEachBackend('migrations', ({ db }) => {
  it('has applied every migration file, in order, with its checksum', async () => {
    const files = await readMigrations();
    const rows = await db().query<{ version: string; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(files.map((f) => ({ version: f.version, checksum: f.checksum })));
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(db())).toEqual([]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    for (const file of await fs.readdir(migrationsDir)) {
      await fs.copyFile(path.join(migrationsDir, file), path.join(dir, file));
    }
    await fs.appendFile(path.join(dir, '001_schema.sql'), '\n-- edited after release\n');
    await expect(migrate(db(), { dir })).rejects.toThrow(MigrationError);
    await expect(migrate(db(), { dir })).rejects.toThrow(/001_schema\.sql was changed after it was applied/);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('has PostGIS with PROJ: WGS 84 → VN-2000 / UTM 48N (EPSG:3405) works', async () => {
    // Lạng Sơn city centre; expected easting/northing from PROJ's own definition of 3405.
    const [row] = await db().query<{ x: number; y: number }>(
      'SELECT ST_X(p) AS x, ST_Y(p) AS y FROM ST_Transform(ST_SetSRID(ST_MakePoint(106.758, 21.848), 4326), 3405) p',
    );
    expect(row!.x).toBeGreaterThan(681_000);
    expect(row!.x).toBeLessThan(682_000);
    expect(row!.y).toBeGreaterThan(2_417_000);
    expect(row!.y).toBeLessThan(2_418_000);
  });

  it('enforces the data rules in the schema itself', async () => {
    const zone = "SELECT id FROM zones LIMIT 1";
    const [{ id }] = (await db().query<{ id: string }>(zone)) as [{ id: string }];
    await expect(db().query("UPDATE zones SET status = 'finished' WHERE id = $1", [id])).rejects.toThrow();
    await expect(db().query("UPDATE zones SET accuracy = 'exact' WHERE id = $1", [id])).rejects.toThrow();
    await expect(db().query("UPDATE zones SET sources = '{}' WHERE id = $1", [id])).rejects.toThrow();
    await expect(db().query('UPDATE zones SET leasable_ha = area_ha + 1 WHERE id = $1', [id])).rejects.toThrow(/zones_leasable_within_area/);
    await expect(
      db().query("UPDATE zones SET geom = ST_GeomFromText('MULTIPOLYGON(((0 0,1 1,1 0,0 1,0 0)))', 4326) WHERE id = $1", [id]),
    ).rejects.toThrow();
    await expect(
      db().query("UPDATE projects SET geom = ST_Multi(ST_Buffer(ST_Centroid(geom), 0.01)) WHERE kind = 'expressway'"),
    ).rejects.toThrow(/projects_geometry_matches_kind/);
  });

  it('bumps the table revision on every write statement', async () => {
    const revision = async () =>
      (await db().query<{ revision: number }>("SELECT revision FROM table_revisions WHERE table_name = 'border_gates'"))[0]!.revision;
    const before = await revision();
    await db().query("UPDATE border_gates SET notes = notes WHERE false");
    await db().query("UPDATE border_gates SET notes = 'x'");
    expect(await revision()).toBe(before + 2);
  });
});
