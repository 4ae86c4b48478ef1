// Talks to our own server only. Errors carry the server's stable code and detail, so
// the interface can say what went wrong in the user's language.
import type { StyleSpecification } from 'maplibre-gl';
import type { LayersResponse, MapFeature, MapFeatureCollection } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { Accept: 'application/json, application/geo+json' } });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', (error as Error).message);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string; detail?: string } | null;
    throw new ApiError(res.status, body?.error ?? 'http_error', body?.detail ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

export const fetchLayers = (signal?: AbortSignal) => getJson<LayersResponse>('/api/layers', signal);

export const fetchLayerData = (path: string, signal?: AbortSignal) => getJson<MapFeatureCollection>(path, signal);

export const fetchFeature = (layer: string, id: string, signal?: AbortSignal) =>
  getJson<MapFeature>(`/api/features/${encodeURIComponent(layer)}/${encodeURIComponent(id)}`, signal);

export type SourceRow = { key: string; title: string; publisher: string; published: string; url: string | null; licence: string; note: string | null };

export const fetchSources = async (signal?: AbortSignal) => (await getJson<{ sources: SourceRow[] }>('/api/sources', signal)).sources;

export type ClientConfig = { basemapStyleUrl: string | null };

export const fetchConfig = (signal?: AbortSignal) => getJson<ClientConfig>('/api/config', signal);

/** An online basemap style, fetched only when the server is configured with one. */
export async function fetchBasemapStyle(url: string, signal?: AbortSignal): Promise<StyleSpecification> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new ApiError(res.status, 'basemap_unavailable', `${url}: HTTP ${res.status}`);
  return (await res.json()) as StyleSpecification;
}

export type SearchHit = {
  layer: string;
  id: string;
  name: { vi: string; en: string | null };
  status: string | null;
  kind: string | null;
  bbox: [number, number, number, number];
};

export const searchFeatures = async (q: string, signal?: AbortSignal) =>
  (await getJson<{ hits: SearchHit[] }>(`/api/search?q=${encodeURIComponent(q)}&limit=8`, signal)).hits;

export type NearestFeature = { layer: string; id: string; name_vi: string; name_en: string | null; status?: string; gate_type?: string; distance_m: number };

export type Proximity = {
  method: string;
  nearest_gate: NearestFeature | null;
  nearest_expressway: NearestFeature | null;
  nearest_open_expressway: NearestFeature | null;
  city_centre: { name_vi: string; distance_m: number } | null;
};

export const fetchProximity = (layer: string, id: string, signal?: AbortSignal) =>
  getJson<Proximity>(`/api/analysis/proximity?layer=${encodeURIComponent(layer)}&id=${encodeURIComponent(id)}`, signal);

export type WithinResult = {
  radius_km: number;
  features: { layer: string; id: string; name_vi: string; name_en: string | null; status: string; distance_m: number }[];
  buffer: GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
};

export const fetchWithin = (from: string, radiusKm: number, signal?: AbortSignal) =>
  getJson<WithinResult>(`/api/analysis/within?from=${encodeURIComponent(from)}&radius_km=${radiusKm}`, signal);

export type PointInfo = {
  lon: number;
  lat: number;
  commune: string | null;
  vn2000: { tm3_lang_son: { x_northing: number; y_easting: number }; utm48n: { x_northing: number; y_easting: number } };
};

export const fetchPoint = (lon: number, lat: number, signal?: AbortSignal) => getJson<PointInfo>(`/api/analysis/point?lon=${lon}&lat=${lat}`, signal);

export type SavedView = { id: string; position: number; title_vi: string; title_en: string; notes_vi: string | null; notes_en: string | null; state: string; version: number };

export const fetchViews = async (signal?: AbortSignal) => (await getJson<{ views: SavedView[] }>('/api/views', signal)).views;
