import { describe, expect, it } from 'vitest';
import { buildStyle, interactiveLayerIds, labelText, mapLayersFor, registryLayerOf, sourceId } from '../../../client/src/map/style.ts';
import { catalogue, layer, vocabularies } from '../support/catalogue.ts';

const fonts = { regular: [{ url: 'http://x/r.woff2', unicodeRange: ['U+0000-00FF'] }], bold: [] };
const all = new Set(catalogue.map((l) => l.id));
const origin = 'http://127.0.0.1:3000/';
const style = buildStyle({ layers: catalogue, vocabularies, lang: 'vi', visible: all, fonts, origin });

describe('map style from the registry', () => {
  it('has a source and at least one map layer for every registry layer, in registry order', () => {
    const order: string[] = [];
    for (const l of style.layers.slice(1).filter((x) => !x.id.startsWith('analysis:'))) {
      const owner = registryLayerOf(l.id);
      if (order.at(-1) !== owner) order.push(owner);
    }
    expect(order).toEqual(catalogue.map((l) => l.id));
    for (const l of catalogue) expect(style.sources[sourceId(l.id)], l.id).toBeDefined();
  });

  it('draws the analysis tools above every layer', () => {
    const last = style.layers.slice(-5).map((l) => l.id);
    expect(last.every((id) => id.startsWith('analysis:'))).toBe(true);
  });

  it('requests nothing from outside: no remote glyphs or sprites, tiles only from our server', () => {
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    const urls = JSON.stringify(style.sources).match(/https?:\/\/[^"]+/g) ?? [];
    for (const url of urls) expect(url.startsWith(origin)).toBe(true);
  });

  it('colours status layers from the one status palette', () => {
    const fill = style.layers.find((l) => l.id === 'industrial_parks:fill')!;
    const paint = JSON.stringify((fill as { paint: object }).paint);
    for (const s of vocabularies.status) expect(paint).toContain(s.color);
  });

  it('dashes indicative outlines and not-yet-built roads', () => {
    const dashed = style.layers.filter((l) => JSON.stringify(l).includes('line-dasharray')).map((l) => l.id);
    expect(dashed).toContain('industrial_parks:outline-indicative');
    expect(dashed).toContain('expressways:line-planned');
    expect(dashed).not.toContain('expressways:line');
  });

  it('hides a layer by visibility, keeping it in the style', () => {
    const hidden = mapLayersFor(layer('border_gates'), { vocabularies, lang: 'vi', visible: new Set() });
    expect(hidden.length).toBeGreaterThan(0);
    for (const l of hidden) expect((l.layout as { visibility: string }).visibility).toBe('none');
  });

  it('labels our features in the chosen language, places always in Vietnamese', () => {
    expect(labelText(layer('industrial_parks'), 'en')).toEqual(['coalesce', ['get', 'name_en'], ['get', 'name_vi']]);
    expect(labelText(layer('industrial_parks'), 'vi')).toEqual(['to-string', ['get', 'name_vi']]);
    expect(labelText(layer('places'), 'en')).toEqual(['to-string', ['get', 'name_vi']]);
    expect(labelText(layer('border_markers'), 'en')).toEqual(['to-string', ['get', 'number']]);
  });

  it('lets users pick thematic features only', () => {
    const ids = interactiveLayerIds(catalogue);
    expect(ids).toContain('industrial_clusters:fill');
    expect(ids).toContain('border_gates:icon');
    expect(ids.some((id) => id.startsWith('communes:'))).toBe(false);
  });
});

describe('with an online basemap (BASEMAP_STYLE_URL)', () => {
  const basemap = {
    version: 8 as const,
    glyphs: 'https://tiles.example/fonts/{fontstack}/{range}.pbf',
    sources: { osm: { type: 'raster' as const, tiles: ['https://tiles.example/{z}/{x}/{y}.png'], tileSize: 256 } },
    layers: [{ id: 'osm', type: 'raster' as const, source: 'osm' }],
  };
  const merged = buildStyle({ layers: catalogue, vocabularies, lang: 'vi', visible: all, fonts, basemap, origin });

  it('draws the basemap first and our layers on top, without our land fills', () => {
    expect(merged.layers[0]!.id).toBe('osm');
    expect(merged.sources.osm).toBeDefined();
    expect(merged.layers.some((l) => l.id === 'industrial_parks:fill')).toBe(true);
    expect(merged.layers.some((l) => l.id.startsWith('china:') || l.id === 'background')).toBe(false);
    expect(merged.glyphs).toBe(basemap.glyphs);
  });
});

describe('a layer delivered as vector tiles', () => {
  const parcels = layer('parcels');

  it('reads its TileJSON from our server and draws from the tile layer named after it', () => {
    expect(parcels.delivery).toBe('tiles');
    const src = style.sources[sourceId('parcels')] as { type: string; url: string };
    expect(src.type).toBe('vector');
    expect(src.url).toMatch(/^http:\/\/[^/]+\/tiles\/parcels\.json$/);
    const own = style.layers.filter((l) => l.id.startsWith('parcels:'));
    expect(own.length).toBeGreaterThan(0);
    for (const l of own) {
      expect((l as { 'source-layer'?: string })['source-layer']).toBe('parcels');
      expect((l as { minzoom?: number }).minzoom).toBeGreaterThanOrEqual(parcels.minZoom);
    }
    expect(style.sources['pts:parcels']).toBeUndefined();
  });
});
