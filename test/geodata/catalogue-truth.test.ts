// Truth checks that need only the catalogue files (the geometric ones run on the
// database: seed-truth.int.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/geodata/build-seed-layers.ts';
import { baseNames, readCatalogue, readJson, seededNames, type CatalogueRecord } from '../../scripts/geodata/catalogue.ts';
import type { GeometryRecipe } from '../../scripts/geodata/catalogue-schema.ts';

const catalogue = readCatalogue(repoRoot);
const records: [file: string, record: CatalogueRecord & { accuracy: string; communes?: string[] }][] = [
  ...seededNames.flatMap((name) => catalogue.seeded[name].map((r) => [name, r] as [string, typeof r])),
  ...baseNames.flatMap((name) => catalogue.base[name].map((r) => [name, r] as [string, typeof r])),
];
const where = (file: string, r: { id: string }) => `${file}#${r.id}`;

describe('the catalogue', () => {
  it('cites only sources defined in catalogue/sources.json or base/sources.json', () => {
    const baseSources = readJson(path.join(repoRoot, 'geodata/base/sources.json')) as { key: string }[];
    const known = new Set([...catalogue.sources, ...baseSources].map((s) => s.key));
    for (const [file, r] of records) {
      expect(r.sources.filter((key) => !known.has(key)), where(file, r)).toEqual([]);
    }
  });

  it('calls a position digitized only when its coordinates are taken as published', () => {
    for (const [file, r] of records.filter(([, r]) => r.accuracy === 'digitized')) {
      expect(r.geometry.recipe, where(file, r)).toBe('geojson');
    }
  });

  it('names 2025 communes exactly as lang_son_communes_2025.geojson spells them', () => {
    const communes = readJson(path.join(repoRoot, 'geodata/base/lang_son_communes_2025.geojson')) as {
      features: { properties: { name: string } }[];
    };
    const names = new Set(communes.features.map((f) => f.properties.name));
    const named = (g: GeometryRecipe) =>
      g.recipe === 'communes_union' ? g.communes : g.recipe === 'waypoints' ? g.via.flatMap((w) => ('commune' in w ? [w.commune] : [])) : [];
    for (const [file, r] of records) {
      expect([...(r.communes ?? []), ...named(r.geometry)].filter((n) => !names.has(n)), where(file, r)).toEqual([]);
    }
  });

  it('draws a zone without a legal area as a 4 ha symbol and says so first in its geometry note', () => {
    for (const zone of catalogue.seeded.zones) {
      const symbol = zone.geometry_note.startsWith('KÝ HIỆU');
      const drawnHa = zone.geometry.recipe === 'outline' ? zone.geometry.area_ha : null;
      if (zone.area_ha === null) expect({ symbol, drawnHa }, zone.id).toEqual({ symbol: true, drawnHa: 4 });
      else expect({ symbol, drawnHa }, zone.id).toEqual({ symbol: false, drawnHa: zone.area_ha });
    }
  });

  it('lets a zone contain only zones that exist', () => {
    const ids = new Set(catalogue.seeded.zones.map((z) => z.id));
    for (const zone of catalogue.seeded.zones) {
      expect((zone.check_exceptions?.contains ?? []).filter((id) => !ids.has(id)), zone.id).toEqual([]);
    }
  });

  it('builds every main road from named places, so each vertex can be traced to a gazetteer or commune', () => {
    for (const road of catalogue.base.main_roads) {
      expect(road.geometry.recipe, road.id).toBe('waypoints');
      expect(road.accuracy, road.id).toBe('indicative');
    }
  });

  // The provisional roads (shared/geodata/provisional) have unverified provenance: they may
  // be used to check a corridor, never copied.
  const provisionalRoads = path.join(repoRoot, '../shared/geodata/provisional/roads_main_provisional.geojson');
  it.skipIf(!fs.existsSync(provisionalRoads))('shares no vertex with the provisional road file', () => {
    const vertex = (p: number[]) => `${p[0]!.toFixed(5)},${p[1]!.toFixed(5)}`;
    const flatten = (c: unknown): number[][] => (typeof (c as unknown[])[0] === 'number' ? [c as number[]] : (c as unknown[]).flatMap(flatten));
    const vertices = (file: string) =>
      (readJson(file) as { features: { geometry: { coordinates: unknown } }[] }).features.flatMap((f) => flatten(f.geometry.coordinates)).map(vertex);
    const provisional = new Set(vertices(provisionalRoads));
    for (const layer of ['geodata/base/main_roads.geojson', 'geodata/seed/projects.geojson']) {
      expect(vertices(path.join(repoRoot, layer)).filter((v) => provisional.has(v)), layer).toEqual([]);
    }
  });
});
