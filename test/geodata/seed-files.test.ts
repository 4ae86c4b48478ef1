import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSeedLayers, repoRoot } from '../../scripts/geodata/build-seed-layers.ts';

describe('geodata/seed', () => {
  const built = buildSeedLayers();

  it('is up to date with the catalogue (run `npm run geodata` after editing it)', () => {
    for (const [relative, content] of built) {
      expect(fs.readFileSync(path.join(repoRoot, relative), 'utf8'), relative).toBe(content);
    }
  });

  it('gives every feature sources, a source date, an accuracy class and a geometry note', () => {
    for (const [relative, content] of built) {
      if (!relative.endsWith('.geojson')) continue;
      const fc = JSON.parse(content) as { features: { id: string; properties: Record<string, unknown> }[] };
      for (const f of fc.features) {
        const where = `${relative}#${f.id}`;
        expect((f.properties.sources as string[]).length, where).toBeGreaterThan(0);
        expect(f.properties.source_date, where).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(['surveyed', 'digitized', 'indicative'], where).toContain(f.properties.accuracy);
        expect(String(f.properties.geometry_note ?? ''), where).not.toBe('');
      }
    }
  });

  it('never calls a made-up outline surveyed', () => {
    for (const name of ['zones', 'planning_areas', 'projects']) {
      const catalogue = JSON.parse(fs.readFileSync(path.join(repoRoot, `geodata/catalogue/${name}.json`), 'utf8')) as {
        id: string;
        accuracy: string;
        geometry: { recipe: string };
      }[];
      for (const record of catalogue.filter((r) => r.geometry.recipe !== 'geojson')) {
        expect(record.accuracy, `${name}#${record.id}`).toBe('indicative');
      }
    }
  });
});
