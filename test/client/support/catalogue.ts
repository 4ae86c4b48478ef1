// The client's view of the real registry, as /api/layers would send it (with made-up
// counts): client tests run against the same declarations as the server.
import type { LayerInfo, MapFeature, MapFeatureCollection, VocabularyMap } from '../../../client/src/api/types.ts';
import { layers } from '../../../server/layers/registry.ts';
import { describeLayer } from '../../../server/layers/routes.ts';
import { vocabularies as serverVocabularies } from '../../../server/layers/vocabulary.ts';

export const catalogue: LayerInfo[] = JSON.parse(
  JSON.stringify(layers.map((l) => describeLayer(l, { featureCount: 3, bbox: [106, 21.3, 107.4, 22.5] }, 'public'))),
);
export const vocabularies = JSON.parse(JSON.stringify(serverVocabularies)) as VocabularyMap;

export const layer = (id: string) => catalogue.find((l) => l.id === id)!;

export function feature(id: string, properties: Record<string, unknown>, geometry: MapFeature['geometry'] = { type: 'Point', coordinates: [106.7, 21.9] }): MapFeature {
  return { type: 'Feature', id, geometry, properties };
}

export const collection = (...features: MapFeature[]): MapFeatureCollection => ({ type: 'FeatureCollection', features });
