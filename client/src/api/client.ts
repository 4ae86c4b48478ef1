// Talks to our own server only. Errors carry the server's stable code and detail, so
// the interface can say what went wrong in the user's language.
import type { StyleSpecification } from 'maplibre-gl';
import type { LayersResponse, MapFeature, MapFeatureCollection } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    /** The whole error body: per-field problems, both versions of a conflict… */
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ({ error?: string; detail?: string } & Record<string, unknown>) | null;
  return new ApiError(res.status, body?.error ?? 'http_error', body?.detail ?? `HTTP ${res.status}`, body ?? {});
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { Accept: 'application/json, application/geo+json' } });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', (error as Error).message);
  }
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

// The session's CSRF token, echoed on every write (the cookie alone is not enough).
let csrfToken: string | null = null;

/** A write: JSON body (or a file), the CSRF token, and If-Match when a version is given. */
async function send<T>(method: string, path: string, body?: unknown, version?: number): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (version !== undefined) headers['If-Match'] = `"${version}"`;
  const isFile = body instanceof Blob;
  if (body !== undefined && !isFile) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : isFile ? body : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, 'network_error', (error as Error).message);
  }
  if (!res.ok) throw await failure(res);
  return (res.status === 204 ? null : await res.json()) as T;
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

export type Role = 'viewer' | 'editor' | 'admin';
export type SessionUser = { id: number; username: string; role: Role };

export async function fetchSession(): Promise<SessionUser | null> {
  const session = await getJson<{ user: SessionUser | null; csrfToken?: string }>('/api/auth/session');
  csrfToken = session.csrfToken ?? null;
  return session.user;
}

export async function signIn(username: string, password: string): Promise<SessionUser> {
  const session = await send<{ user: SessionUser; csrfToken: string }>('POST', '/api/auth/login', { username, password });
  csrfToken = session.csrfToken;
  return session.user;
}

export async function signOut(): Promise<void> {
  await send('POST', '/api/auth/logout');
  csrfToken = null;
}

export type EditBody = { properties?: Record<string, unknown>; geometry?: GeoJSON.Geometry; repair?: boolean };
export type Saved = { feature: MapFeature; repaired?: boolean };

export const createFeature = (layer: string, body: EditBody) => send<Saved>('POST', `/api/features/${layer}`, body);
export const updateFeature = (layer: string, id: string, version: number, body: EditBody) => send<Saved>('PATCH', `/api/features/${layer}/${id}`, body, version);
export const deleteFeature = (layer: string, id: string, version: number) => send<null>('DELETE', `/api/features/${layer}/${id}`, undefined, version);
export const revertChange = (layer: string, id: string, historyId: number, version?: number) =>
  send<Saved>('POST', `/api/features/${layer}/${id}/revert`, { historyId }, version);

export type HistoryEntry = {
  id: number;
  version: number;
  action: 'create' | 'update' | 'delete';
  at: string;
  actor?: string;
  note?: string | null;
  changes: { field: string; before: unknown; after: unknown }[];
  geometryChanged: boolean;
};
export const fetchHistory = async (layer: string, id: string, signal?: AbortSignal) =>
  (await getJson<{ entries: HistoryEntry[] }>(`/api/features/${layer}/${id}/history`, signal)).entries;

export type FieldProblem = { field: string; code: string; message: { vi: string; en: string } };
export type ImportReport = {
  committed: boolean;
  counts: { create: number; update: number; unchanged: number; invalid: number };
  ignoredProperties: string[];
  warnings: { vi: string; en: string }[];
  rows: { ref: string; id: string | null; action: string | null; errors: FieldProblem[]; geometry: GeoJSON.Geometry | null }[];
};

export const importFile = (layer: string, file: File, mode: 'preview' | 'commit', repair: boolean) =>
  send<ImportReport>('POST', `/api/import/${layer}/${mode}?filename=${encodeURIComponent(file.name)}&repair=${repair}`, file);

export type Parcel = {
  geometry: GeoJSON.Polygon;
  points: { no: string; x: number; y: number; lon: number; lat: number }[];
  area: { plane_m2: number; ellipsoid_m2: number };
  perimeter_m: number;
  valid: boolean;
  invalidReason: string | null;
};
export const convertParcel = (text: string, centralMeridian: number) => send<Parcel>('POST', '/api/vn2000/parcel', { text, centralMeridian });

export const exportUrl = (layer: string, format: string) => `/api/export/${layer}?format=${format}`;
export type SavedView = { id: string; position: number; title_vi: string; title_en: string; notes_vi: string | null; notes_en: string | null; state: string; version: number };

export const fetchViews = async (signal?: AbortSignal) => (await getJson<{ views: SavedView[] }>('/api/views', signal)).views;
export type ViewValues = Pick<SavedView, 'title_vi' | 'title_en' | 'notes_vi' | 'notes_en' | 'state'>;
export const createView = async (values: ViewValues) => (await send<{ view: SavedView }>('POST', '/api/views', values)).view;
export const updateView = async (id: string, version: number, values: Partial<ViewValues>) =>
  (await send<{ view: SavedView }>('PATCH', `/api/views/${id}`, values, version)).view;
export const deleteView = (id: string, version: number) => send<null>('DELETE', `/api/views/${id}`, undefined, version);
export const reorderViews = async (ids: string[]) => (await send<{ views: SavedView[] }>('POST', '/api/views/reorder', { ids })).views;
