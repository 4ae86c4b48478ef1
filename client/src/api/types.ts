// Shapes of the server's responses. Types come from the server's own modules (type-only
// imports: nothing of the server is bundled), so the two cannot drift apart.
import type { Feature, Geometry } from 'geojson';
import type { LayerStyle } from '../../../server/layers/registry.ts';
import type { FieldType } from '../../../server/layers/tables.ts';
import type { vocabularies, Title } from '../../../server/layers/vocabulary.ts';

export type { LayerStyle, Title };

export type FieldInfo = {
  name: string;
  type: FieldType;
  title: Title;
  unit?: 'ha' | 'km' | '%' | 'bn VND';
  vocabulary?: keyof typeof vocabularies;
  /** Computed by the server; never edited. */
  generated?: boolean;
  /** Sent to signed-in staff only. */
  visibility?: 'public' | 'internal';
};

export type LayerInfo = {
  id: string;
  group: 'base' | 'thematic';
  title: Title;
  description: Title;
  geometryType: 'Point' | 'LineString' | 'Polygon' | 'MultiLineString' | 'MultiPolygon';
  featureCount: number;
  bbox: [number, number, number, number] | null;
  minZoom: number;
  defaultVisible: boolean;
  style: LayerStyle;
  attribution: string | null;
  searchable: boolean;
  /** Editors may change its features one by one (and import into it). */
  editable: boolean;
  /** 'tiles': large layers come as vector tiles (links.tiles, a TileJSON), never whole. */
  delivery: 'geojson' | 'tiles';
  fields: FieldInfo[];
  links: { geojson: string; tiles?: string; ogc?: string };
};

type Vocabularies = typeof vocabularies;
export type Term = { id: string; title: Title; color?: string };
export type VocabularyMap = { [K in keyof Vocabularies]: Term[] };

export type LayersResponse = { layers: LayerInfo[]; vocabularies: VocabularyMap };

export type Properties = Record<string, unknown>;
export type MapFeature = Feature<Geometry, Properties> & { id: string };
export type MapFeatureCollection = { type: 'FeatureCollection'; features: MapFeature[] };

export type LegalBasisEntry = { type: string; number: string; date: string | null; issuer: string | null; title: string };
