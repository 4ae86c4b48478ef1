// Drawing and reshaping features on the map with terra-draw (and its MapLibre adapter,
// which accepts maplibre-gl ≥ 4). Terra-draw knows single points, lines and polygons:
// a multi-part feature is edited as its parts and put back together.
import type { Map as MaplibreMap } from 'maplibre-gl';
import { TerraDraw, TerraDrawLineStringMode, TerraDrawPointMode, TerraDrawPolygonMode, TerraDrawSelectMode, type GeoJSONStoreFeatures } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';

export type DrawMode = 'Point' | 'LineString' | 'Polygon';
/** Draw a new shape of a kind, or (with geometry) reshape and move an existing one. */
export type DrawRequest = { mode: DrawMode; geometry?: GeoJSON.Geometry; nonce: number };
export type Drawing = { stop(): void };

const MODE_NAMES: Record<DrawMode, string> = { Point: 'point', LineString: 'linestring', Polygon: 'polygon' };

const editable = { feature: { draggable: true, coordinates: { midpoints: true, draggable: true, deletable: true } } };

/** The parts of a (multi-)geometry that terra-draw can hold. */
export function partsOf(geometry: GeoJSON.Geometry): GeoJSON.Geometry[] {
  switch (geometry.type) {
    case 'MultiPolygon':
      return geometry.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
    case 'MultiLineString':
      return geometry.coordinates.map((coordinates) => ({ type: 'LineString', coordinates }));
    case 'MultiPoint':
      return geometry.coordinates.map((coordinates) => ({ type: 'Point', coordinates }));
    default:
      return [geometry];
  }
}

/** Drawn parts of one kind → one geometry (multi-part when there are several). */
export function combineParts(parts: GeoJSON.Geometry[], mode: DrawMode): GeoJSON.Geometry | null {
  const same = parts.filter((p) => p.type === mode);
  if (!same.length) return null;
  if (same.length === 1 || mode === 'Point') return same[0]!;
  if (mode === 'Polygon') return { type: 'MultiPolygon', coordinates: same.map((p) => (p as GeoJSON.Polygon).coordinates) };
  return { type: 'MultiLineString', coordinates: same.map((p) => (p as GeoJSON.LineString).coordinates) };
}

export function startDrawing(map: MaplibreMap, request: DrawRequest, onDrawn: (geometry: GeoJSON.Geometry | null) => void): Drawing {
  const draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map }),
    modes: [
      new TerraDrawPointMode({ editable: true }),
      new TerraDrawLineStringMode({ editable: true }),
      new TerraDrawPolygonMode({ editable: true }),
      new TerraDrawSelectMode({ flags: { point: editable, linestring: editable, polygon: editable } }),
    ],
  });
  draw.start();
  const emit = () => onDrawn(combineParts(draw.getSnapshot().map((f) => f.geometry as GeoJSON.Geometry), request.mode));
  draw.on('finish', () => {
    emit();
    // One new shape at a time: once drawn, it can be adjusted.
    if (!request.geometry && draw.getMode() !== 'select') draw.setMode('select');
  });
  draw.on('change', (_ids, type) => type === 'delete' && emit());
  if (request.geometry) {
    const features = partsOf(request.geometry).map(
      (geometry) => ({ id: crypto.randomUUID(), type: 'Feature', geometry, properties: { mode: MODE_NAMES[request.mode] } }) as GeoJSONStoreFeatures,
    );
    draw.addFeatures(features);
    draw.setMode('select');
    if (features.length === 1) draw.selectFeature(features[0]!.id!);
  } else {
    draw.setMode(MODE_NAMES[request.mode]);
  }
  return { stop: () => draw.stop() };
}
