// Reference layers loaded from geodata/base/. They are replaced wholesale when their
// files change (nobody edits them feature by feature), so they carry no history.
import type { Queryable } from '../db/adapter.ts';

type GeoJsonFeature = { id?: string | number; properties: Record<string, unknown>; geometry: unknown };

type Provenance = { sources: string[]; sourceDate: string; accuracy: 'digitized' | 'indicative' };

export type BaseLayerLoad = {
  /** base_features.layer (and the registry layer id). */
  layer: string;
  file: string;
  id: (f: GeoJsonFeature, index: number) => string;
  names: (f: GeoJsonFeature) => { vi: string | null; en: string | null };
  /** Extra properties kept (besides names), e.g. a town's population. */
  keep?: string[];
  /** Only features passing this test are loaded (one file can feed several layers). */
  filter?: (f: GeoJsonFeature) => boolean;
} & (
  // A file taken from one source: every feature shares its sources and date.
  | { sources: string[]; sourceDate: string }
  // A layer we compile ourselves: each feature cites its own sources.
  | { provenance: (f: GeoJsonFeature) => Provenance }
);

const nameFields = (f: GeoJsonFeature) => ({
  vi: (f.properties.name as string | null) ?? null,
  en: (f.properties.name_en as string | null) ?? null,
});

export const baseLayerLoads: BaseLayerLoad[] = [
  {
    layer: 'province',
    file: 'lang_son_province.geojson',
    sources: ['VPD'],
    sourceDate: '2026-08-02',
    id: () => 'lang-son',
    names: nameFields,
    keep: ['area_km2'],
  },
  {
    layer: 'national_border',
    file: 'border_vn_cn_lang_son.geojson',
    sources: ['VPD'],
    sourceDate: '2026-08-02',
    id: () => 'vn-cn-lang-son',
    names: nameFields,
    keep: ['length_km'],
  },
  {
    layer: 'neighbour_provinces',
    file: 'neighbour_provinces_2025.geojson',
    sources: ['VPD'],
    sourceDate: '2026-08-02',
    id: (f) => `province-${f.properties.code}`,
    names: nameFields,
  },
  ...(['vietnam', 'china'] as const).map(
    (layer): BaseLayerLoad => ({
      layer,
      file: 'countries_context_osm.geojson',
      sources: ['OSM-GEOMAPS'],
      sourceDate: '2017-12-01',
      id: (f) => String(f.properties.iso_a3).toLowerCase(),
      names: nameFields,
      filter: (f) => f.properties.iso_a3 === (layer === 'vietnam' ? 'VNM' : 'CHN'),
    }),
  ),
  {
    layer: 'rivers',
    file: 'rivers_wdbii.geojson',
    sources: ['GSHHG'],
    sourceDate: '2017-06-15',
    id: (_f, i) => `river-${i + 1}`,
    names: (f) => ({ vi: (f.properties.name as string | null) ?? null, en: (f.properties.name as string | null) ?? null }),
    keep: ['wdb_level'],
  },
  {
    layer: 'places',
    file: 'places_geonames.geojson',
    sources: ['GEONAMES'],
    sourceDate: '2023-03-05',
    id: (f) => `geonames-${f.properties.geonameid}`,
    names: (f) => ({ vi: f.properties.label as string, en: f.properties.label as string }),
    keep: ['population', 'feature_code', 'in_lang_son', 'name_zh', 'geonameid'],
  },
  {
    // Built from geodata/catalogue/main_roads.json (npm run geodata).
    layer: 'main_roads',
    file: 'main_roads.geojson',
    provenance: (f) => ({
      sources: f.properties.sources as string[],
      sourceDate: f.properties.source_date as string,
      accuracy: f.properties.accuracy as Provenance['accuracy'],
    }),
    id: (f) => String(f.id),
    names: (f) => ({ vi: f.properties.name_vi as string, en: f.properties.name_en as string }),
    keep: ['ref', 'notes', 'geometry_note'],
  },
];

export async function loadBaseLayer(tx: Queryable, load: BaseLayerLoad, all: GeoJsonFeature[]): Promise<number> {
  await tx.query('DELETE FROM base_features WHERE layer = $1', [load.layer]);
  const features = load.filter ? all.filter(load.filter) : all;
  for (const [index, f] of features.entries()) {
    const names = load.names(f);
    const kept = Object.fromEntries((load.keep ?? []).map((k) => [k, f.properties[k] ?? null]));
    const p: Provenance =
      'provenance' in load ? load.provenance(f) : { sources: load.sources, sourceDate: load.sourceDate, accuracy: 'digitized' };
    await tx.query(
      `INSERT INTO base_features (layer, id, name_vi, name_en, properties, sources, source_date, accuracy, geom)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::text[], $7::date, $8, ST_SetSRID(ST_GeomFromGeoJSON($9), 4326))`,
      [load.layer, load.id(f, index), names.vi, names.en, JSON.stringify(kept), p.sources, p.sourceDate, p.accuracy, JSON.stringify(f.geometry)],
    );
  }
  return features.length;
}

/** Communes come from three files joined by the official code: detail, display, label. */
export const communeFiles = {
  detail: 'lang_son_communes_2025.geojson',
  display: 'lang_son_communes_2025_simplified.geojson',
  labels: 'lang_son_commune_labels_2025.geojson',
} as const;

export async function loadCommunes(
  tx: Queryable,
  files: Record<keyof typeof communeFiles, GeoJsonFeature[]>,
): Promise<number> {
  const byCode = (list: GeoJsonFeature[]) => new Map(list.map((f) => [String(f.properties.code), f]));
  const display = byCode(files.display);
  const labels = byCode(files.labels);
  await tx.query('DELETE FROM communes');
  for (const f of files.detail) {
    const p = f.properties;
    const code = String(p.code);
    const shown = display.get(code);
    const label = labels.get(code);
    if (!shown || !label) throw new Error(`Commune ${code} (${p.name}) is missing from the display or label file.`);
    await tx.query(
      `INSERT INTO communes (id, name_vi, full_name_vi, name_en, full_name_en, unit_type, area_km2,
                            sources, source_date, accuracy, geom, geom_display, label_point)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ARRAY['VPD'], '2026-08-02', 'digitized',
               ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($8), 4326)),
               ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($9), 4326)),
               ST_SetSRID(ST_GeomFromGeoJSON($10), 4326))`,
      [
        code,
        p.name,
        p.full_name,
        p.name_en,
        p.full_name_en,
        p.unit_type,
        p.area_km2,
        JSON.stringify(f.geometry),
        JSON.stringify(shown.geometry),
        JSON.stringify(label.geometry),
      ],
    );
  }
  return files.detail.length;
}
