// What the legend lists for a layer, derived from the same registry hints as the map
// style and from the data actually loaded: only symbols that are on the map.
import type { LayerInfo, MapFeatureCollection, Term, VocabularyMap } from '../api/types.ts';
import { isLineLayer, isPolygonLayer, NOT_BUILT } from '../map/style.ts';

export type SwatchKind = 'fill' | 'hatch' | 'line' | 'line-dashed' | 'circle' | 'icon' | 'label';

export type LegendEntry = {
  key: string;
  kind: SwatchKind;
  color: string;
  /** A vocabulary term (status, gate type) or the layer itself. */
  term: Term | null;
  count: number;
  /** For icons: the shape (gate type). */
  shape?: string;
};

export function legendEntries(layer: LayerInfo, data: MapFeatureCollection | undefined, vocabularies: VocabularyMap): LegendEntry[] {
  const style = layer.style;
  const features = data?.features ?? [];
  const baseKind: SwatchKind =
    style.paint === 'fill' ? (style.hatch ? 'hatch' : 'fill') : style.paint === 'line' ? 'line' : style.paint === 'icon' ? 'icon' : style.paint === 'label' ? 'label' : 'circle';
  if (style.colorBy !== 'status') {
    return [{ key: layer.id, kind: polygonAsLine(layer, baseKind), color: style.color ?? '#1f1f1f', term: null, count: features.length }];
  }
  const counts = new Map<string, number>();
  for (const f of features) counts.set(String(f.properties.status), (counts.get(String(f.properties.status)) ?? 0) + 1);
  const entries: LegendEntry[] = [];
  if (style.paint === 'icon') {
    // Shape = gate type (drawn neutral), colour = status (drawn as chips).
    const byType = new Map<string, number>();
    for (const f of features) byType.set(String(f.properties.gate_type), (byType.get(String(f.properties.gate_type)) ?? 0) + 1);
    for (const term of vocabularies.gate_type) {
      const n = byType.get(term.id);
      if (n) entries.push({ key: `type-${term.id}`, kind: 'icon', shape: term.id, color: '#ffffff', term, count: n });
    }
  }
  for (const term of vocabularies.status) {
    const n = counts.get(term.id);
    if (!n) continue;
    const kind: SwatchKind = baseKind === 'line' && NOT_BUILT.includes(term.id) ? 'line-dashed' : baseKind === 'icon' ? 'circle' : baseKind;
    entries.push({ key: `status-${term.id}`, kind, color: term.color!, term, count: n });
  }
  return entries;
}

// Base polygons drawn only as outlines (communes, province) are shown as lines.
const polygonAsLine = (layer: LayerInfo, kind: SwatchKind): SwatchKind =>
  isPolygonLayer(layer) && layer.style.paint === 'line' ? 'line' : isLineLayer(layer) ? 'line' : kind;

export const hasIndicative = (data: MapFeatureCollection | undefined) =>
  data?.features.some((f) => f.properties.accuracy === 'indicative') ?? false;

export const hasPointSymbols = (layer: LayerInfo, data: MapFeatureCollection | undefined) =>
  !!layer.style.pointWhenNull && (data?.features.some((f) => f.properties[layer.style.pointWhenNull!] === null) ?? false);
