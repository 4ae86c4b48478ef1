// The map. React owns the props; MapLibre owns the canvas. The map is created once
// and then updated imperatively (setData, setLayoutProperty, feature state) — never
// rebuilt on a render — and camera moves stay out of React state except via
// onViewChange (debounced by MapLibre's own moveend).
import {
  AttributionControl,
  Map as MaplibreMap,
  NavigationControl,
  prewarm,
  ScaleControl,
  setWorkerUrl,
  type GeoJSONSource,
  type MapGeoJSONFeature,
  type Point,
  type StyleSpecification,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef } from 'react';
import type { LayerInfo, MapFeatureCollection, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { Lang } from '../i18n/strings.ts';
import type { MapView as View, Selection } from '../state/url-state.ts';
import { featureBounds, representativePoints, withFeatureIds } from './features.ts';
import { labelFonts } from './fonts.ts';
import {
  ANALYSIS_SOURCE,
  isTiled,
  buildStyle,
  CONTEXT_BOUNDS,
  interactiveLayerIds,
  isPolygonLayer,
  mapLayersFor,
  pointSourceId,
  registryLayerOf,
  sourceId,
} from './style.ts';
import { gateIcon, hatchPattern, imageData } from './symbols.ts';
import type { LonLat } from '../analysis/measure.ts';
import type { Tool } from '../analysis/use-analysis.ts';
import { startDrawing, type DrawRequest, type Drawing } from './drawing.ts';

/** Zoom to a feature, a box or a view, or (none given) to the whole province. */
export type FocusRequest = { selection: Selection | null; bbox?: [number, number, number, number]; view?: View; nonce: number };

type Props = {
  layers: LayerInfo[];
  vocabularies: VocabularyMap;
  basemap: StyleSpecification | null;
  data: Record<string, MapFeatureCollection | undefined>;
  visible: ReadonlySet<string>;
  lang: Lang;
  selection: Selection | null;
  /** Features drawn as selected besides the selection (e.g. a dashboard bar's). */
  highlight?: Selection[];
  focus: FocusRequest | null;
  initialView: View | null;
  homeBounds: [number, number, number, number];
  onSelect(selection: Selection | null): void;
  onViewChange(view: View): void;
  /** What the analysis tools draw on top of everything. */
  overlay: GeoJSON.FeatureCollection;
  /** While a tool is active, clicks go to it instead of selecting features. */
  tool: Tool;
  onToolClick(at: LonLat): void;
  onToolFinish(): void;
  /** Draw a new shape, or reshape a given one; clicks then belong to the drawing. */
  drawing?: DrawRequest | null;
  /** The drawn shape after each finished stroke or drag (null when nothing is drawn). */
  onDrawn?(geometry: GeoJSON.Geometry | null): void;
  /** 'print': a still map for the print layout — no controls, its pixels kept for PDF/PNG. */
  mode?: 'interactive' | 'print';
  /** Called each time the map has drawn everything it has. */
  onIdle?(): void;
};

declare global {
  interface Window {
    /** The live map, for end-to-end tests and for debugging in the console. */
    lsgis?: { map: MaplibreMap };
  }
}

const CLICK_TOLERANCE_PX = 6;

// GeoJSON features carry their id as `fid` (copied in), tile features as `id`.
const featureId = (f: MapGeoJSONFeature) => String(f.properties.fid ?? f.properties.id);

// Keep a zoomed-to feature clear of what floats over the map: the details panel
// (tablets: on the right; phones: a bottom sheet) and a presentation's slide card.
function framePadding() {
  const padding = { top: 60, bottom: 60, left: 60, right: 60 };
  const panel = document.querySelector('.details-panel');
  if (panel && getComputedStyle(panel).position === 'absolute') {
    const box = panel.getBoundingClientRect();
    if (box.left > 0) padding.right += box.width;
    else padding.bottom += box.height;
  }
  const slide = document.querySelector('.presentation');
  if (slide) padding.bottom += slide.getBoundingClientRect().height;
  return padding;
}

// MapLibre's worker is a separate module file; point MapLibre at the bundled copy, and
// start the workers now, while the registry and data are still on their way.
setWorkerUrl(workerUrl);
prewarm();

export function MapView(props: Props) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const hovered = useRef<{ source: string; sourceLayer?: string; id: string } | null>(null);
  const selectedState = useRef<{ source: string; sourceLayer?: string; id: string }[]>([]);
  const attribution = useRef<AttributionControl | null>(null);
  const drawingRef = useRef<Drawing | null>(null);

  // Create the map once.
  useEffect(() => {
    const p = propsRef.current;
    const map = new MaplibreMap({
      container: container.current!,
      style: buildStyle({ layers: p.layers, vocabularies: p.vocabularies, lang: p.lang, visible: p.visible, fonts: labelFonts(), basemap: p.basemap, origin: window.location.href }),
      ...(p.initialView
        ? { center: [p.initialView.lon, p.initialView.lat] as [number, number], zoom: p.initialView.zoom }
        : { bounds: p.homeBounds, fitBoundsOptions: { padding: 24 } }),
      maxBounds: CONTEXT_BOUNDS,
      attributionControl: false,
      interactive: p.mode !== 'print',
      canvasContextAttributes: { preserveDrawingBuffer: p.mode === 'print' },
      fadeDuration: p.mode === 'print' ? 0 : 300,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 140 }), 'bottom-left');
    // The print layout has its own legend, credits and north arrow.
    if (p.mode !== 'print') {
      map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
      attribution.current = new AttributionControl({ compact: false, customAttribution: t('thematicCredit') });
      map.addControl(attribution.current, 'bottom-right');
    }
    map.on('idle', () => propsRef.current.onIdle?.());
    map.getCanvas().setAttribute('role', 'application');
    window.lsgis = { map };
    mapRef.current = map;

    // Icons and hatch patterns are drawn on demand, in the status colour they show.
    map.setMissingStyleImageResolver((id) => {
      const colors = Object.fromEntries(propsRef.current.vocabularies.status.map((s) => [s.id, s.color!]));
      const gate = id.match(/^gate-([a-z_]+)-([a-z_]+)$/);
      const hatch = id.match(/^hatch-([a-z_]+)$/);
      const ratio = Math.min(2, window.devicePixelRatio || 1);
      if (gate) map.addImage(id, imageData(gateIcon(gate[1]!, colors[gate[2]!] ?? '#555555', ratio)), { pixelRatio: ratio });
      else if (hatch) map.addImage(id, imageData(hatchPattern(colors[hatch[1]!] ?? '#555555', ratio)), { pixelRatio: ratio });
    });

    const interactive = interactiveLayerIds(p.layers);
    const pick = (point: Point): MapGeoJSONFeature | undefined => {
      const box: [[number, number], [number, number]] = [
        [point.x - CLICK_TOLERANCE_PX, point.y - CLICK_TOLERANCE_PX],
        [point.x + CLICK_TOLERANCE_PX, point.y + CLICK_TOLERANCE_PX],
      ];
      const layers = interactive.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
      return map.queryRenderedFeatures(box, { layers })[0];
    };
    const setHover = (next: { source: string; sourceLayer?: string; id: string } | null) => {
      if (hovered.current) map.setFeatureState(hovered.current, { hover: false });
      hovered.current = next;
      if (next) map.setFeatureState(next, { hover: true });
      map.getCanvas().style.cursor = next ? 'pointer' : '';
    };
    map.on('mousemove', (e) => {
      if (propsRef.current.tool || propsRef.current.drawing) return;
      const f = pick(e.point);
      const next = f ? { source: f.source, ...(f.sourceLayer ? { sourceLayer: f.sourceLayer } : {}), id: featureId(f) } : null;
      if (next?.source !== hovered.current?.source || next?.id !== hovered.current?.id) setHover(next);
    });
    map.on('mouseout', () => setHover(null));
    map.on('click', (e) => {
      if (propsRef.current.tool) {
        propsRef.current.onToolClick([e.lngLat.lng, e.lngLat.lat]);
        return;
      }
      if (propsRef.current.drawing) return;
      const f = pick(e.point);
      propsRef.current.onSelect(f ? { layer: registryLayerOf(f.layer.id), id: featureId(f) } : null);
    });
    map.on('dblclick', (e) => {
      const tool = propsRef.current.tool;
      if (tool === 'line' || tool === 'area') {
        e.preventDefault(); // finish the measurement instead of zooming in
        propsRef.current.onToolFinish();
      }
    });
    map.on('moveend', () => {
      const c = map.getCenter();
      propsRef.current.onViewChange({ zoom: map.getZoom(), lat: c.lat, lon: c.lng });
    });
    return () => {
      map.remove();
      mapRef.current = null;
      delete window.lsgis;
    };
  }, []);

  // Data: sources are filled as layers arrive.
  useEffect(() => {
    const map = mapRef.current!;
    for (const layer of props.layers) {
      const fc = props.data[layer.id];
      if (!fc || isTiled(layer)) continue;
      const source = map.getSource<GeoJSONSource>(sourceId(layer.id));
      if (!source) continue;
      source.setData(withFeatureIds(fc));
      if (isPolygonLayer(layer)) map.getSource<GeoJSONSource>(pointSourceId(layer.id))?.setData(representativePoints(fc));
    }
  }, [props.data, props.layers]);

  // Visibility and label language, layer by layer, without rebuilding the style.
  useEffect(() => {
    const map = mapRef.current!;
    for (const layer of props.layers) {
      for (const spec of mapLayersFor(layer, { vocabularies: props.vocabularies, lang: props.lang, visible: props.visible })) {
        if (!map.getLayer(spec.id)) continue;
        const layout = (spec.layout ?? {}) as Record<string, never>;
        map.setLayoutProperty(spec.id, 'visibility', layout.visibility);
        if ('text-field' in layout) map.setLayoutProperty(spec.id, 'text-field', layout['text-field']);
      }
    }
  }, [props.layers, props.vocabularies, props.lang, props.visible]);

  // The credit for our own compilation, in the interface language (base layers credit themselves).
  useEffect(() => {
    const map = mapRef.current!;
    if (!attribution.current) return;
    map.removeControl(attribution.current);
    attribution.current = new AttributionControl({ compact: false, customAttribution: t('thematicCredit') });
    map.addControl(attribution.current, 'bottom-right');
  }, [t]);

  // Selection highlight, on the feature's shape and on its point symbol.
  useEffect(() => {
    const map = mapRef.current!;
    for (const target of selectedState.current) {
      if (map.getSource(target.source)) map.setFeatureState(target, { selected: false });
    }
    selectedState.current = [];
    for (const sel of [...(props.selection ? [props.selection] : []), ...(props.highlight ?? [])]) {
      const tiled = props.layers.some((l) => l.id === sel.layer && isTiled(l));
      for (const source of [sourceId(sel.layer), pointSourceId(sel.layer)]) {
        if (!map.getSource(source)) continue;
        const target = { source, ...(tiled ? { sourceLayer: sel.layer } : {}), id: sel.id };
        map.setFeatureState(target, { selected: true });
        selectedState.current.push(target);
      }
    }
  }, [props.selection, props.highlight, props.data]);

  // Analysis overlay and the cursor of the active tool.
  useEffect(() => {
    const map = mapRef.current!;
    map.getSource<GeoJSONSource>(ANALYSIS_SOURCE)?.setData(props.overlay);
    map.getCanvas().style.cursor = props.tool ? 'crosshair' : '';
  }, [props.overlay, props.tool]);

  // Drawing and reshaping with terra-draw, started for each request and stopped after.
  useEffect(() => {
    const map = mapRef.current!;
    const request = props.drawing;
    if (!request) return;
    let stopped = false;
    const start = () => {
      if (!stopped) drawingRef.current = startDrawing(map, request, (geometry) => propsRef.current.onDrawn?.(geometry));
    };
    if (map.isStyleLoaded()) start();
    else map.once('load', start);
    return () => {
      stopped = true;
      drawingRef.current?.stop();
      drawingRef.current = null;
    };
  }, [props.drawing]);

  // Zoom to a feature when asked (list click, search, opening a shared link).
  useEffect(() => {
    const request = props.focus;
    if (!request) return;
    const target = request.selection;
    if (request.view) {
      mapRef.current!.flyTo({ center: [request.view.lon, request.view.lat], zoom: request.view.zoom, padding: framePadding(), duration: 1200, essential: true });
      return;
    }
    if (!target) {
      mapRef.current!.fitBounds(request.bbox ?? props.homeBounds, { padding: request.bbox ? framePadding() : 24, duration: 600 });
      return;
    }
    const feature = props.data[target.layer]?.features.find((f) => f.id === target.id);
    if (!feature?.geometry) return;
    const [minX, minY, maxX, maxY] = featureBounds(feature);
    mapRef.current!.fitBounds(
      [
        [minX, minY],
        [maxX, maxY],
      ],
      { padding: framePadding(), maxZoom: 13.5, duration: 600 },
    );
  }, [props.focus, props.data, props.homeBounds]);

  return <div ref={container} className="map" aria-label={t('mapLabel')} />;
}
