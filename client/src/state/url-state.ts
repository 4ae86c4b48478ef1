// The shareable map state lives in the URL hash, e.g.
//   #lang=en&map=10.5/21.846/106.761&layers=industrial_parks,border_gates&sel=industrial_parks/vsip-lang-son
// Parsing is forgiving (a hand-edited or old link still opens, with defaults for what is
// wrong); serialising is canonical (same state, same URL).
import { languages, type Lang } from '../i18n/strings.ts';

export type MapView = { zoom: number; lat: number; lon: number };
export type Selection = { layer: string; id: string };

export type UrlState = {
  lang: Lang;
  view: MapView | null;
  /** Visible layer ids; null = each layer's default. */
  layers: string[] | null;
  selection: Selection | null;
  /** Zone filter, serialised by filters/zone-filter.ts ('' = none). */
  filter: string;
  /** Zones in the comparison table. */
  compare: Selection[];
  /** Show the thematic layers as they were on this date (YYYY-MM-DD); null = now. */
  asOf: string | null;
  /** Print layout (paper and orientation) instead of the interactive app. */
  print: { paper: 'A4' | 'A3'; orientation: 'landscape' | 'portrait' } | null;
  /** Title printed on the page. */
  title: string;
  /** The saved view being presented (full-screen presentation mode). */
  present: string | null;
};

export const defaultState: UrlState = { lang: 'vi', view: null, layers: null, selection: null, filter: '', compare: [], asOf: null, print: null, title: '', present: null };

const ID = /^[a-z0-9_-]{1,80}$/;

export function parseUrlState(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const lang = params.get('lang');
  return {
    lang: languages.includes(lang as Lang) ? (lang as Lang) : defaultState.lang,
    view: parseView(params.get('map')),
    layers: parseLayers(params.get('layers')),
    selection: parseSelection(params.get('sel')),
    filter: (params.get('f') ?? '').slice(0, 300),
    compare: (params.get('cmp') ?? '')
      .split(',')
      .map(parseSelection)
      .filter((s): s is Selection => s !== null)
      .slice(0, 4),
    asOf: /^\d{4}-\d{2}-\d{2}$/.test(params.get('at') ?? '') ? params.get('at') : null,
    print: parsePrint(params.get('print')),
    title: (params.get('title') ?? '').slice(0, 160),
    present: parseId(params.get('present')),
  };
}

const parseId = (text: string | null) => (text && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(text) && text.length <= 80 ? text : null);

function parsePrint(text: string | null): UrlState['print'] {
  const match = text?.match(/^(A4|A3)-(landscape|portrait)$/);
  return match ? { paper: match[1] as 'A4' | 'A3', orientation: match[2] as 'landscape' | 'portrait' } : null;
}

function parseView(text: string | null): MapView | null {
  if (!text) return null;
  const parts = text.split('/').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
  const [zoom, lat, lon] = parts as [number, number, number];
  if (zoom < 0 || zoom > 22 || lat < -85 || lat > 85 || lon < -180 || lon > 180) return null;
  return { zoom, lat, lon };
}

function parseLayers(text: string | null): string[] | null {
  if (text === null) return null;
  return text.split(',').filter((id) => ID.test(id));
}

function parseSelection(text: string | null): Selection | null {
  if (!text) return null;
  const [layer, id, ...rest] = text.split('/');
  if (rest.length || !layer || !id || !ID.test(layer) || !ID.test(id)) return null;
  return { layer, id };
}

export function serializeUrlState(state: UrlState): string {
  const parts: string[] = [`lang=${state.lang}`];
  if (state.view) {
    const { zoom, lat, lon } = state.view;
    // 2 decimals of zoom and 5 of a degree (~1 m) are plenty for a shared view.
    parts.push(`map=${+zoom.toFixed(2)}/${+lat.toFixed(5)}/${+lon.toFixed(5)}`);
  }
  if (state.layers) parts.push(`layers=${state.layers.join(',')}`);
  if (state.selection) parts.push(`sel=${state.selection.layer}/${state.selection.id}`);
  if (state.filter) parts.push(`f=${encodeURIComponent(state.filter)}`);
  if (state.compare.length) parts.push(`cmp=${state.compare.map((c) => `${c.layer}/${c.id}`).join(',')}`);
  if (state.asOf) parts.push(`at=${state.asOf}`);
  if (state.print) parts.push(`print=${state.print.paper}-${state.print.orientation}`);
  if (state.title) parts.push(`title=${encodeURIComponent(state.title)}`);
  if (state.present) parts.push(`present=${state.present}`);
  return `#${parts.join('&')}`;
}
