// Builds geodata/seed/*.geojson, the compiled base layers (geodata/base/main_roads.geojson),
// geodata/SOURCES.md and geodata/README.md from the hand-maintained catalogue
// (geodata/catalogue/*.json) and the base layers. Deterministic: the same catalogue gives
// byte-identical files, which a test checks.
//   npx tsx scripts/geodata/build-seed-layers.ts          write the files
//   npx tsx scripts/geodata/build-seed-layers.ts --check  fail if they are stale
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { savedViewRecord, sourceRecord, type SourceRecord } from './catalogue-schema.ts';
import { baseNames, findDuplicate, readCatalogue, readJson, seededNames, type CatalogueRecord } from './catalogue.ts';
import { dataStatusReadme } from './data-status.ts';
import { markdownRow } from './markdown.ts';
import { buildGeometry, roundGeometry, type BaseData } from './recipes.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function loadBaseData(root = repoRoot): BaseData {
  const base = (name: string) => readJson(path.join(root, 'geodata/base', name)) as never;
  const province = base('lang_son_province.geojson') as { features: BaseData['province'][] };
  const border = base('border_vn_cn_lang_son.geojson') as { features: BaseData['border'][] };
  type Points = { features: { properties: Record<string, string>; geometry: { coordinates: number[] } }[] };
  const byName = (fc: Points, field: string) => new Map(fc.features.map((f) => [f.properties[field]!, f.geometry.coordinates]));
  return {
    communes: base('lang_son_communes_2025_simplified.geojson'),
    province: province.features[0]!,
    border: border.features[0]!,
    places: byName(base('places_geonames.geojson'), 'label'),
    communeLabels: byName(base('lang_son_commune_labels_2025.geojson'), 'name'),
  };
}

/** Every output file, by path relative to the repository root. */
export function buildSeedLayers(root = repoRoot): Map<string, string> {
  const base = loadBaseData(root);
  const catalogue = readCatalogue(root);
  const baseSources = z.array(sourceRecord).parse(readJson(path.join(root, 'geodata/base/sources.json')));
  const allSources = [...catalogue.sources, ...baseSources];
  const duplicate = findDuplicate(allSources.map((s) => s.key));
  if (duplicate) throw new Error(`source key ${duplicate} is defined twice`);
  const known = new Set(allSources.map((s) => s.key));

  const used = new Set<string>();
  const layer = (name: string, records: CatalogueRecord[]) => {
    const features = records.map((record) => {
      // check_exceptions explain test results to maintainers; they are not map content.
      const { id, geometry: recipe, check_exceptions, ...properties } = record;
      for (const key of record.sources) {
        if (!known.has(key)) throw new Error(`catalogue/${name}.json: ${id} cites unknown source '${key}'`);
        used.add(key);
      }
      let geometry;
      try {
        geometry = roundGeometry(buildGeometry(recipe, base));
      } catch (error) {
        throw new Error(`catalogue/${name}.json: ${id}: ${(error as Error).message}`);
      }
      return { type: 'Feature', id, properties, geometry };
    });
    return featureCollectionText(features);
  };

  const out = new Map<string, string>();
  for (const name of seededNames) out.set(`geodata/seed/${name}.geojson`, layer(name, catalogue.seeded[name]));
  for (const name of baseNames) out.set(`geodata/base/${name}.geojson`, layer(name, catalogue.base[name]));
  out.set('geodata/seed/sources.json', `${JSON.stringify(catalogue.sources, null, 2)}\n`);
  const views = z.array(savedViewRecord).parse(readJson(path.join(root, 'geodata/catalogue/saved_views.json')));
  out.set('geodata/seed/saved_views.json', `${JSON.stringify(views, null, 2)}\n`);
  out.set('geodata/SOURCES.md', sourcesMarkdown(catalogue.sources, baseSources, used));
  out.set('geodata/README.md', dataStatusReadme(catalogue));
  return out;
}

// One feature per line: readable diffs when a single feature changes.
function featureCollectionText(features: unknown[]): string {
  return `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

const BASE_FILES: [file: string, content: string, source: string, licence: string][] = [
  ['lang_son_province.geojson', 'Province outline (dissolved from the 2025 communes)', 'VPD', 'MIT (see caveat)'],
  ['lang_son_communes_2025.geojson', '65 communes and wards since 1 July 2025, full detail', 'VPD', 'MIT (see caveat)'],
  ['lang_son_communes_2025_simplified.geojson', 'The same, simplified (20 m, topology kept), for display', 'VPD', 'MIT (see caveat)'],
  ['lang_son_commune_labels_2025.geojson', 'Label points inside each commune', 'VPD', 'MIT (see caveat)'],
  ['border_vn_cn_lang_son.geojson', 'Vietnam–China border, Lạng Sơn section (231 km)', 'VPD', 'MIT (see caveat)'],
  ['neighbour_provinces_2025.geojson', 'Neighbouring provinces (2025), clipped', 'VPD', 'MIT (see caveat)'],
  ['countries_context_osm.geojson', 'Vietnam and China land polygons, clipped', 'OSM-GEOMAPS', 'ODbL 1.0 — redistributed under ODbL'],
  ['rivers_wdbii.geojson', 'Main rivers (≈1–2 km accuracy)', 'GSHHG', 'LGPL-3.0-or-later (https://www.gnu.org/licenses/lgpl-3.0.html)'],
  ['places_geonames.geojson', 'Populated places (GeoNames)', 'GEONAMES', 'CC BY 4.0'],
  [
    'main_roads.geojson',
    'Main roads, indicative: drawn by us through the towns public sources name (built from catalogue/main_roads.json)',
    'per feature',
    'our compilation: CC BY 4.0; facts from the cited sources',
  ],
];

function sourcesMarkdown(catalogue: SourceRecord[], baseSources: SourceRecord[], used: Set<string>): string {
  const sourceRows = (list: SourceRecord[]) =>
    list.map((s) => markdownRow([s.key, s.title, s.publisher, s.date, s.url ?? '—', s.licence, s.note ?? ''])).join('\n');
  const unused = catalogue.filter((s) => !used.has(s.key)).map((s) => s.key);
  return `# Sources and licences of geodata/

Generated by \`scripts/geodata/build-seed-layers.ts\` from \`geodata/catalogue/sources.json\` and
\`geodata/base/sources.json\`; edit those, not this file. Each feature lists the keys of its
sources in its \`sources\` property.

## Files

| file | content | source | licence |
|---|---|---|---|
${BASE_FILES.map(([file, content, source, licence]) => markdownRow([`base/${file}`, content, source, licence])).join('\n')}
${seededNames
  .map((name) =>
    markdownRow([
      `seed/${name}.geojson`,
      `built from catalogue/${name}.json`,
      'per feature',
      'our compilation: CC BY 4.0; facts from the cited sources',
    ]),
  )
  .join('\n')}

Caveat (VPD): the MIT licence is the repository author's grant; the original is a *reference*
map (bản đồ tham khảo), not a legal boundary. Share-alike: the OSM-derived file stays under
ODbL; the LGPL licence text of the rivers is linked above.

## Base-layer sources

| key | title | publisher | date | URL | licence | note |
|---|---|---|---|---|---|---|
${sourceRows(baseSources)}

## Sources of the seed features

| key | title | publisher | date | URL | licence | note |
|---|---|---|---|---|---|---|
${sourceRows(catalogue)}
${unused.length ? `\nListed but not yet cited by any feature: ${unused.join(', ')}.\n` : ''}`;
}

function main() {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [relative, content] of buildSeedLayers()) {
    const target = path.join(repoRoot, relative);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (current === content) continue;
    if (check) stale.push(relative);
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
      console.log(`wrote ${relative}`);
    }
  }
  if (stale.length) {
    console.error(`Stale (run npx tsx scripts/geodata/build-seed-layers.ts): ${stale.join(', ')}`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
