// Registry → MapLibre style. A pure function of the server's layer list, so the map,
// the legend and the tests all derive from the same declarations (no second list).
import type {
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { Lang } from '../i18n/strings.ts';
import type { LayerInfo, VocabularyMap } from '../api/types.ts';

export const FONT_REGULAR = 'Noto Sans Regular';
export const FONT_BOLD = 'Noto Sans Bold';

/** Where the map may be panned: the base data's extent, with a margin. */
export const CONTEXT_BOUNDS: [number, number, number, number] = [105.6, 21.0, 107.8, 22.8];

// Outside the base data's extent: a neutral margin, darker than land.
export const MARGIN_COLOR = '#e9e7e2';
const HALO = 'rgba(255,255,255,0.92)';
const INK = '#1f1f1f';

// Statuses drawn dashed on lines: not built yet.
export const NOT_BUILT = ['proposed', 'planned', 'approved'];

export const sourceId = (layerId: string) => `src:${layerId}`;
/** What the analysis tools draw: search buffer, picked point, measured line or polygon. */
export const ANALYSIS_SOURCE = 'analysis';
const ANALYSIS_COLOR = '#c2185b';
/** Derived point source of a polygon layer: label points and point symbols. */
export const pointSourceId = (layerId: string) => `pts:${layerId}`;
export const mapLayerId = (layerId: string, part: string) => `${layerId}:${part}`;
export const registryLayerOf = (mapLayer: string) => mapLayer.split(':')[0]!;

export const isPolygonLayer = (layer: LayerInfo) => layer.geometryType === 'Polygon' || layer.geometryType === 'MultiPolygon';
export const isTiled = (layer: LayerInfo) => layer.delivery === 'tiles';
/** Label points and point symbols are derived from GeoJSON data; tiled layers have none. */
const hasPointSource = (layer: LayerInfo) => isPolygonLayer(layer) && !isTiled(layer);
export const isLineLayer = (layer: LayerInfo) => layer.geometryType === 'LineString' || layer.geometryType === 'MultiLineString';

export type FontFace = { url: string; unicodeRange: string[] };
export type StyleInput = {
  layers: LayerInfo[];
  vocabularies: VocabularyMap;
  lang: Lang;
  visible: ReadonlySet<string>;
  fonts: { regular: FontFace[]; bold: FontFace[] };
  /** An online basemap (BASEMAP_STYLE_URL): drawn beneath our layers instead of our land fills. */
  basemap?: StyleSpecification | null;
  /** Where the page is served from: tile URLs must be absolute. */
  origin: string;
};

// Our base layers that paint land; an online basemap replaces them.
const LAND_FILLS = ['vietnam', 'china', 'neighbour_provinces'];

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export function statusColorExpression(vocabularies: VocabularyMap): ExpressionSpecification {
  const pairs = vocabularies.status.flatMap((s) => [s.id, s.color!]);
  return ['match', ['get', 'status'], ...pairs, '#555555'] as unknown as ExpressionSpecification;
}

export function layerColor(layer: LayerInfo, vocabularies: VocabularyMap): ExpressionSpecification | string {
  return layer.style.colorBy === 'status' ? statusColorExpression(vocabularies) : (layer.style.color ?? INK);
}

/**
 * The label text. Place names (base layers) stay Vietnamese, with their diacritics, in
 * both languages — as on any map of Vietnam; our own features have English names.
 */
export function labelText(layer: LayerInfo, lang: Lang): ExpressionSpecification | null {
  const field = layer.style.labelField;
  if (!field) return null;
  if (field !== 'name_vi' || lang === 'vi' || layer.group === 'base') return ['to-string', ['get', field]];
  return ['coalesce', ['get', 'name_en'], ['get', 'name_vi']];
}

const hoverOrSelected = (whenSelected: number, whenHovered: number): ExpressionSpecification => [
  'case',
  ['boolean', ['feature-state', 'selected'], false],
  whenSelected,
  ['boolean', ['feature-state', 'hover'], false],
  whenHovered,
  0,
];

export function buildStyle(input: StyleInput): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {};
  for (const layer of input.layers) {
    // MapLibre credits a source's attribution while one of its layers is visible.
    const attribution = layer.attribution ? { attribution: layer.attribution } : {};
    sources[sourceId(layer.id)] = isTiled(layer)
      ? { type: 'vector', url: new URL(layer.links.tiles!, input.origin).toString(), promoteId: 'id', ...attribution }
      : { type: 'geojson', data: EMPTY, promoteId: 'fid', ...attribution };
    if (hasPointSource(layer)) sources[pointSourceId(layer.id)] = { type: 'geojson', data: EMPTY, promoteId: 'fid' };
  }
  const fontFaces = {
    [FONT_REGULAR]: input.fonts.regular.map((f) => ({ url: f.url, 'unicode-range': f.unicodeRange })),
    [FONT_BOLD]: input.fonts.bold.map((f) => ({ url: f.url, 'unicode-range': f.unicodeRange })),
  };
  const basemap = input.basemap;
  const ours = input.layers.filter((l) => !(basemap && LAND_FILLS.includes(l.id))).flatMap((layer) => mapLayersFor(layer, input));
  sources[ANALYSIS_SOURCE] = { type: 'geojson', data: EMPTY };
  const top = [...ours, ...analysisLayers()];
  if (basemap) {
    return { ...basemap, sources: { ...basemap.sources, ...sources }, 'font-faces': fontFaces, layers: [...basemap.layers, ...top] } as StyleSpecification;
  }
  return {
    version: 8,
    name: 'Lạng Sơn',
    sources,
    'font-faces': fontFaces,
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': MARGIN_COLOR } }, ...top],
  } as StyleSpecification;
}

function analysisLayers(): LayerSpecification[] {
  const role = (r: string): FilterSpecification => ['==', ['get', 'role'], r];
  const source = ANALYSIS_SOURCE;
  return [
    { id: 'analysis:buffer-fill', type: 'fill', source, filter: role('buffer'), paint: { 'fill-color': '#0b5cad', 'fill-opacity': 0.07 } },
    { id: 'analysis:buffer-line', type: 'line', source, filter: role('buffer'), paint: { 'line-color': '#0b5cad', 'line-width': 2, 'line-dasharray': [3, 2] } },
    { id: 'analysis:measure-fill', type: 'fill', source, filter: ['all', role('measure'), ['==', ['geometry-type'], 'Polygon']], paint: { 'fill-color': ANALYSIS_COLOR, 'fill-opacity': 0.15 } },
    { id: 'analysis:measure-line', type: 'line', source, filter: role('measure'), paint: { 'line-color': ANALYSIS_COLOR, 'line-width': 2.5 } },
    {
      id: 'analysis:points',
      type: 'circle',
      source,
      filter: ['any', role('vertex'), role('origin')],
      paint: { 'circle-radius': ['match', ['get', 'role'], 'origin', 7, 4.5], 'circle-color': '#ffffff', 'circle-stroke-color': ANALYSIS_COLOR, 'circle-stroke-width': 2.5 },
    },
  ] as LayerSpecification[];
}

/** The MapLibre layers drawing one registry layer, bottom first. */
export function mapLayersFor(layer: LayerInfo, input: Pick<StyleInput, 'vocabularies' | 'lang' | 'visible'>): LayerSpecification[] {
  const visibility = input.visible.has(layer.id) ? 'visible' : 'none';
  const color = layerColor(layer, input.vocabularies);
  const style = layer.style;
  const source = sourceId(layer.id);
  const out: Omit<LayerSpecification, 'metadata'>[] = [];
  const text = labelText(layer, input.lang);
  const thematic = layer.group === 'thematic';
  // Features a user can select (thematic ones, and base ones found by search) get a highlight.
  const selectable = thematic || layer.searchable;
  const labelLayout = {
    'text-field': text,
    'text-font': [thematic ? FONT_BOLD : FONT_REGULAR],
    'text-size': thematic ? 13 : 12,
    'text-max-width': 9,
    'symbol-sort-key': thematic ? 0 : 10,
    visibility,
  };
  // Base labels in their layer's colour, except over pale fills (area names), drawn grey.
  const baseLabelColor = style.paint === 'fill' ? '#6b6b6b' : (style.color ?? '#555555');
  const labelPaint = { 'text-color': thematic ? INK : baseLabelColor, 'text-halo-color': HALO, 'text-halo-width': 1.6 };

  switch (style.paint) {
    case 'fill': {
      const shape: ExpressionSpecification | undefined = style.pointWhenNull ? ['!=', ['get', style.pointWhenNull], null] : undefined;
      const withShape = (filter: ExpressionSpecification): FilterSpecification => (shape ? ['all', shape, filter] : filter);
      out.push({
        id: mapLayerId(layer.id, 'fill'),
        type: 'fill',
        source,
        ...(shape ? { filter: shape } : {}),
        layout: { visibility },
        paint: { 'fill-color': color, 'fill-opacity': style.opacity ?? 0.5 },
      } as LayerSpecification);
      if (style.hatch) {
        out.push({
          id: mapLayerId(layer.id, 'hatch'),
          type: 'fill',
          source,
          layout: { visibility },
          paint: {
            'fill-pattern': style.colorBy === 'status' ? ['concat', 'hatch-', ['get', 'status']] : 'hatch-default',
            'fill-opacity': 0.45,
          },
        } as LayerSpecification);
      }
      const outline = (part: string, filter: FilterSpecification | undefined, dashed: boolean) =>
        ({
          id: mapLayerId(layer.id, part),
          type: 'line',
          source,
          ...(filter ? { filter } : {}),
          layout: { visibility, 'line-join': 'round' },
          paint: {
            'line-color': thematic ? color : (style.color ?? INK),
            'line-width': style.width ?? (thematic ? 2 : 1),
            ...(dashed ? { 'line-dasharray': [2.5, 1.5] } : {}),
          },
        }) as LayerSpecification;
      if (style.dashIndicative) {
        out.push(outline('outline', withShape(['!=', ['get', 'accuracy'], 'indicative']), false));
        out.push(outline('outline-indicative', withShape(['==', ['get', 'accuracy'], 'indicative']), true));
      } else if (thematic || style.width) {
        out.push(outline('outline', shape, false));
      }
      if (thematic) {
        out.push({
          id: mapLayerId(layer.id, 'highlight'),
          type: 'line',
          source,
          ...(shape ? { filter: shape } : {}),
          layout: { visibility, 'line-join': 'round' },
          paint: { 'line-color': INK, 'line-width': 3.5, 'line-opacity': hoverOrSelected(1, 0.55) },
        } as LayerSpecification);
      }
      if (style.pointWhenNull || style.pointsBelowZoom) {
        // Dots: for every feature below pointsBelowZoom, and at all zooms for features
        // whose shape is only a placeholder (pointWhenNull).
        const placeholder: ExpressionSpecification | false = style.pointWhenNull ? ['==', ['get', style.pointWhenNull], null] : false;
        const small: ExpressionSpecification | false = style.pointsBelowZoom ? ['<', ['zoom'], style.pointsBelowZoom] : false;
        out.push({
          id: mapLayerId(layer.id, 'point'),
          type: 'circle',
          source: pointSourceId(layer.id),
          filter: ['any', placeholder, small],
          layout: { visibility },
          paint: {
            'circle-radius': 7,
            'circle-color': color,
            'circle-stroke-color': INK,
            'circle-stroke-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3.5, ['boolean', ['feature-state', 'hover'], false], 2.5, 1.5],
          },
        } as LayerSpecification);
      }
      if (text) {
        out.push({
          id: mapLayerId(layer.id, 'label'),
          type: 'symbol',
          source: pointSourceId(layer.id),
          minzoom: style.labelMinZoom ?? 0,
          layout: {
            ...labelLayout,
            // Beside the dot while one is drawn, centred on the outline once it shows.
            'text-offset': style.pointsBelowZoom || style.pointWhenNull ? [0, 1.1] : [0, 0],
            'text-anchor': 'top',
            'text-optional': true,
          },
          paint: labelPaint,
        } as LayerSpecification);
      }
      break;
    }
    case 'line': {
      const width = style.width ?? 1.5;
      if (thematic) {
        out.push({
          id: mapLayerId(layer.id, 'casing'),
          type: 'line',
          source,
          layout: { visibility, 'line-join': 'round', 'line-cap': 'round' },
          paint: { 'line-color': '#ffffff', 'line-width': width + 3 },
        } as LayerSpecification);
      }
      const line = (part: string, filter: FilterSpecification | undefined, dashed: boolean) =>
        ({
          id: mapLayerId(layer.id, part),
          type: 'line',
          source,
          ...(filter ? { filter } : {}),
          layout: { visibility, 'line-join': 'round', 'line-cap': dashed ? 'butt' : 'round' },
          paint: { 'line-color': color, 'line-width': width, ...(dashed ? { 'line-dasharray': [2, 1.2] } : {}) },
        }) as LayerSpecification;
      if (style.colorBy === 'status') {
        const notBuilt: FilterSpecification = ['in', ['get', 'status'], ['literal', NOT_BUILT]];
        out.push(line('line', ['!', notBuilt], false));
        out.push(line('line-planned', notBuilt, true));
      } else {
        out.push(line('line', undefined, false));
      }
      if (selectable) {
        out.push({
          id: mapLayerId(layer.id, 'highlight'),
          type: 'line',
          source,
          layout: { visibility, 'line-join': 'round', 'line-cap': 'round' },
          paint: { 'line-color': INK, 'line-width': width + 4, 'line-opacity': hoverOrSelected(0.9, thematic ? 0.4 : 0), 'line-gap-width': 0 },
        } as LayerSpecification);
      }
      if (text) {
        out.push({
          id: mapLayerId(layer.id, 'label'),
          type: 'symbol',
          source,
          minzoom: style.labelMinZoom ?? 0,
          layout: { ...labelLayout, 'symbol-placement': 'line', 'text-size': 12 },
          paint: labelPaint,
        } as LayerSpecification);
      }
      break;
    }
    case 'circle': {
      out.push({
        id: mapLayerId(layer.id, 'circle'),
        type: 'circle',
        source,
        layout: { visibility },
        paint: {
          'circle-radius': style.width ?? 4,
          'circle-color': color,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, 1.5],
        },
      } as LayerSpecification);
      if (text) {
        out.push({
          id: mapLayerId(layer.id, 'label'),
          type: 'symbol',
          source,
          minzoom: style.labelMinZoom ?? 0,
          layout: { ...labelLayout, 'text-size': 11, 'text-offset': [0, 0.9], 'text-anchor': 'top', 'text-optional': true },
          paint: labelPaint,
        } as LayerSpecification);
      }
      break;
    }
    case 'icon': {
      out.push({
        id: mapLayerId(layer.id, 'halo'),
        type: 'circle',
        source,
        layout: { visibility },
        paint: { 'circle-radius': 15, 'circle-color': '#ffffff', 'circle-opacity': hoverOrSelected(0.95, 0.7), 'circle-stroke-color': INK, 'circle-stroke-width': hoverOrSelected(2, 1), 'circle-stroke-opacity': hoverOrSelected(1, 0.6) },
      } as LayerSpecification);
      out.push({
        id: mapLayerId(layer.id, 'icon'),
        type: 'symbol',
        source,
        layout: {
          ...labelLayout,
          // Icons at every zoom; their labels from the label zoom on.
          'text-field': text ? ['step', ['zoom'], '', style.labelMinZoom ?? 0, text] : '',
          'icon-image': ['concat', 'gate-', ['get', style.iconBy ?? 'gate_type'], '-', ['get', 'status']],
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'text-offset': [0, 1.3],
          'text-anchor': 'top',
          'text-optional': true,
          'text-size': 12,
        },
        paint: labelPaint,
      } as LayerSpecification);
      break;
    }
    case 'label': {
      out.push({
        id: mapLayerId(layer.id, 'label'),
        type: 'symbol',
        source,
        minzoom: style.labelMinZoom ?? 0,
        layout: { ...labelLayout, 'text-size': layer.id === 'places' ? 13 : 11, 'text-optional': true },
        paint: { ...labelPaint, 'text-color': style.color ?? '#555555' },
      } as LayerSpecification);
      break;
    }
  }
  // A tiled layer's features live in the tile layer named after it; derived point
  // sources do not exist for it.
  const drawn = isTiled(layer) ? out.filter((l) => (l as { source?: string }).source === source) : out;
  return drawn.map(
    (l) =>
      ({
        ...l,
        ...(isTiled(layer) ? { 'source-layer': layer.id, minzoom: Math.max(layer.minZoom, (l as { minzoom?: number }).minzoom ?? 0) } : {}),
        metadata: { 'lsgis:layer': layer.id },
      }) as LayerSpecification,
  );
}

/** Map layers a click or hover can pick, i.e. those of thematic layers that draw features. */
export function interactiveLayerIds(layers: readonly LayerInfo[]): string[] {
  const parts = ['fill', 'outline', 'outline-indicative', 'line', 'line-planned', 'circle', 'icon', 'halo', 'point'];
  return layers.filter((l) => l.group === 'thematic').flatMap((l) => parts.map((p) => mapLayerId(l.id, p)));
}
