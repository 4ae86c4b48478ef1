// The application shell: loads the layer registry and data from our server, keeps the
// shareable state in the URL, and lays out header, layer panel, map and details.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, deleteFeature, fetchBasemapStyle, fetchConfig, fetchFeature, fetchLayerData, fetchLayers, fetchSources, fetchViews, updateFeature, type SavedView } from './api/client.ts';
import type { StyleSpecification } from 'maplibre-gl';
import type { LayerInfo, LayersResponse, MapFeature, MapFeatureCollection } from './api/types.ts';
import { AnalysisPanel } from './analysis/AnalysisPanel.tsx';
import { ProximitySection } from './analysis/ProximitySection.tsx';
import { useAnalysis } from './analysis/use-analysis.ts';
import { MAX_COMPARED } from './compare/compare.ts';
import { CompareTable } from './compare/CompareTable.tsx';
import { SignIn } from './auth/SignIn.tsx';
import { canEdit as mayEdit, useSession } from './auth/use-session.ts';
import { FeatureForm } from './edit/FeatureForm.tsx';
import { FilterPanel } from './filters/FilterPanel.tsx';
import { HistorySection } from './history/HistorySection.tsx';
import type { DrawMode, DrawRequest } from './map/drawing.ts';
import { applyFilter, parseFilter, serializeFilter } from './filters/zone-filter.ts';
import { I18nProvider, useI18n } from './i18n/i18n.tsx';
import { featureBounds as bboxOf } from './map/features.ts';
import { MapView, type FocusRequest } from './map/MapView.tsx';
import { CONTEXT_BOUNDS } from './map/style.ts';
import { DetailsPanel, type SourceInfo } from './panels/DetailsPanel.tsx';
import { FeatureList } from './panels/FeatureList.tsx';
import { LayerPanel } from './panels/LayerPanel.tsx';
import { Presentation } from './present/Presentation.tsx';
import { slideState } from './present/slide-state.ts';
import { ViewsPanel } from './present/ViewsPanel.tsx';
import { PrintDialog } from './print/PrintDialog.tsx';
import { PrintPage } from './print/PrintPage.tsx';
import { SearchBox } from './search/SearchBox.tsx';
import { parseUrlState, type Selection } from './state/url-state.ts';
import { useUrlState } from './state/use-url-state.ts';
import { TransferPanel } from './transfer/TransferPanel.tsx';

/** What an editor is doing: the attribute form, reshaping on the map, or a new feature. */
type Editing =
  | { kind: 'form' }
  | { kind: 'reshape'; geometry: GeoJSON.Geometry | null }
  | { kind: 'create'; layerId: string; geometry: GeoJSON.Geometry | null }
  | { kind: 'delete' };

const drawModeOf = (layer: LayerInfo): DrawMode =>
  layer.geometryType === 'Point' ? 'Point' : layer.geometryType.endsWith('LineString') ? 'LineString' : 'Polygon';

// Chart.js and the charts load only when the dashboard is opened.
const Dashboard = lazy(() => import('./dashboard/Dashboard.tsx'));

export function App() {
  const [url, updateUrl] = useUrlState();
  return (
    <I18nProvider lang={url.lang}>
      <Shell url={url} updateUrl={updateUrl} />
    </I18nProvider>
  );
}

type ShellProps = { url: ReturnType<typeof useUrlState>[0]; updateUrl: ReturnType<typeof useUrlState>[1] };

function Shell({ url, updateUrl }: ShellProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [catalogue, setCatalogue] = useState<LayersResponse | null>(null);
  // undefined while the server's configuration is not known yet; null = our offline base map.
  const [basemap, setBasemap] = useState<StyleSpecification | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [data, setData] = useState<Record<string, MapFeatureCollection | undefined>>({});
  const [sources, setSources] = useState<ReadonlyMap<string, SourceInfo>>(new Map());
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const [tab, setTab] = useState<'layers' | 'list' | 'analysis' | 'data' | 'slides'>('layers');
  const session = useSession();
  const editor = mayEdit(session.user);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [drawing, setDrawing] = useState<DrawRequest | null>(null);
  const [repair, setRepair] = useState(false);
  const [editError, setEditError] = useState<string | null>(null);
  const [preview, setPreview] = useState<GeoJSON.Feature[]>([]);
  const [comparing, setComparing] = useState(false);
  const [printing, setPrinting] = useState(false);
  const [dashboard, setDashboard] = useState(false);
  const [highlight, setHighlight] = useState<Selection[]>([]);
  const [views, setViews] = useState<SavedView[]>([]);
  const analysis = useAnalysis();
  // Frame the search buffer when a radius search answers.
  useEffect(() => {
    if (analysis.within) setFocus({ selection: null, bbox: bboxOf(analysis.within.buffer), nonce: Date.now() });
  }, [analysis.within]);
  // Open beside the map on wide screens; on tablets it slides over the map when asked.
  const [sidebarOpen, setSidebarOpen] = useState(() => window.innerWidth > 1024);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    document.documentElement.lang = url.lang;
    document.title = t('appTitle');
  }, [url.lang, t]);

  // Registry first, then every layer's data in parallel (thematic layers first). What the
  // server sends depends on who is signed in, so it is all fetched again when that changes.
  const signedInAs = session.user === undefined ? undefined : (session.user?.username ?? null);
  useEffect(() => {
    if (signedInAs === undefined) return;
    const abort = new AbortController();
    setError(null);
    fetchLayers(abort.signal)
      .then((response) => {
        setCatalogue(response);
        // Tiled layers are too large to download whole: the map reads their tiles.
        const ordered = response.layers.filter((l) => l.delivery !== 'tiles').sort((a, b) => Number(a.group === 'base') - Number(b.group === 'base'));
        for (const layer of ordered) {
          // As of a date, thematic layers are replayed from their history.
          const path = url.asOf && layer.group === 'thematic' ? `${layer.links.geojson}?as_of=${url.asOf}` : layer.links.geojson;
          fetchLayerData(path, abort.signal)
            .then((fc) => setData((current) => ({ ...current, [layer.id]: fc })))
            .catch((e: unknown) => e instanceof ApiError && setError(e));
        }
      })
      .catch((e: unknown) => e instanceof ApiError && setError(e));
    fetchConfig(abort.signal)
      .then((config) => (config.basemapStyleUrl ? fetchBasemapStyle(config.basemapStyleUrl, abort.signal) : null))
      .then(setBasemap)
      // An unreachable online basemap must not cost the map: fall back to our own.
      .catch((e: unknown) => (e as Error).name !== 'AbortError' && setBasemap(null));
    fetchViews(abort.signal)
      .then(setViews)
      .catch(() => {});
    fetchSources(abort.signal)
      .then((list) => setSources(new Map(list.map((s) => [s.key, s]))))
      .catch(() => {});
    return () => abort.abort();
  }, [attempt, signedInAs, url.asOf]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const layers = catalogue?.layers ?? [];
  // Zones (parks and clusters) are what the filter applies to; everything shown — map,
  // list, legend counts — is the filtered data.
  const filter = useMemo(() => parseFilter(url.filter), [url.filter]);
  const zoneLayerIds = useMemo(() => layers.filter((l) => l.fields.some((f) => f.vocabulary === 'zone_kind')).map((l) => l.id), [layers]);
  const shown = useMemo(() => {
    const out = { ...data };
    for (const id of zoneLayerIds) if (data[id]) out[id] = applyFilter(data[id]!, filter);
    return out;
  }, [data, filter, zoneLayerIds]);
  const allZones = zoneLayerIds.flatMap((id) => data[id]?.features ?? []);
  const shownZoneCount = zoneLayerIds.reduce((n, id) => n + (shown[id]?.features.length ?? 0), 0);
  const visible = useMemo(
    () => new Set(url.layers ?? layers.filter((l) => l.defaultVisible).map((l) => l.id)),
    [url.layers, layers],
  );
  const homeBounds = layers.find((l) => l.id === 'province')?.bbox ?? CONTEXT_BOUNDS;
  const overlay = useMemo(
    (): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features: [...analysis.overlay.features, ...preview] }),
    [analysis.overlay, preview],
  );

  const selectedLayer = url.selection ? layers.find((l) => l.id === url.selection!.layer) : undefined;
  // A feature of a tiled layer is fetched on its own when selected.
  const [fetchedFeature, setFetchedFeature] = useState<MapFeature | undefined>(undefined);
  useEffect(() => {
    setFetchedFeature(undefined);
    if (!url.selection || selectedLayer?.delivery !== 'tiles') return;
    const abort = new AbortController();
    fetchFeature(url.selection.layer, url.selection.id, abort.signal).then(setFetchedFeature, () => {});
    return () => abort.abort();
  }, [url.selection, selectedLayer]);
  const selectedFeature = url.selection
    ? (data[url.selection.layer]?.features.find((f) => f.id === url.selection!.id) ?? (fetchedFeature && String(fetchedFeature.id) === url.selection.id ? fetchedFeature : undefined))
    : undefined;

  // A shared link with a selection but no view opens zoomed to the feature.
  const [openedWithSelection] = useState(() => (url.selection && !url.view ? url.selection : null));
  useEffect(() => {
    if (openedWithSelection && data[openedWithSelection.layer]) setFocus({ selection: openedWithSelection, nonce: 0 });
  }, [openedWithSelection, data]);

  const select = useCallback(
    (selection: Selection | null) => {
      setEditing(null);
      setDrawing(null);
      setEditError(null);
      setHighlight([]);
      updateUrl((s) => ({ ...s, selection }));
    },
    [updateUrl],
  );
  const choose = useCallback(
    (selection: Selection) => {
      select(selection);
      setFocus({ selection, nonce: Date.now() });
    },
    [select],
  );
  const toggle = useCallback(
    (id: string, on: boolean) =>
      updateUrl((s) => {
        const next = new Set(visible);
        if (on) next.add(id);
        else next.delete(id);
        return { ...s, layers: layers.map((l) => l.id).filter((l) => next.has(l)) };
      }),
    [updateUrl, visible, layers],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && select(null);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [select]);

  const compared = url.compare
    .map((selection) => ({
      selection,
      layer: layers.find((l) => l.id === selection.layer),
      feature: data[selection.layer]?.features.find((f) => f.id === selection.id),
    }))
    .filter((c): c is { selection: Selection; layer: NonNullable<typeof c.layer>; feature: NonNullable<typeof c.feature> } => !!c.layer && !!c.feature);
  const isCompared = (s: Selection) => url.compare.some((c) => c.layer === s.layer && c.id === s.id);
  const toggleCompare = (s: Selection) =>
    updateUrl((state) => ({
      ...state,
      compare: isCompared(s) ? state.compare.filter((c) => !(c.layer === s.layer && c.id === s.id)) : [...state.compare, s].slice(0, MAX_COMPARED),
    }));

  // Saved: show the new data everywhere, and keep (or make) the feature selected.
  const afterSave = (layerId: string, feature: MapFeature | null) => {
    setEditing(null);
    setDrawing(null);
    setPreview([]);
    setEditError(null);
    reload();
    if (feature) updateUrl((s) => ({ ...s, selection: { layer: layerId, id: feature.id } }));
    else updateUrl((s) => ({ ...s, selection: null }));
  };
  const startReshape = (geometry: GeoJSON.Geometry) => {
    setEditing({ kind: 'reshape', geometry: null });
    setDrawing({ mode: drawModeOf(selectedLayer!), geometry, nonce: Date.now() });
  };
  const saveShape = async (geometry: GeoJSON.Geometry) => {
    setEditError(null);
    try {
      const result = await updateFeature(selectedLayer!.id, selectedFeature!.id, Number(selectedFeature!.properties.version), { geometry, repair });
      afterSave(selectedLayer!.id, result.feature);
    } catch (error) {
      const fields = (error as ApiError).body?.fields as { message: { vi: string; en: string } }[] | undefined;
      setEditError(fields?.map((f) => f.message[i18n.lang]).join(' ') ?? (error as Error).message);
    }
  };
  const removeSelected = async () => {
    try {
      await deleteFeature(selectedLayer!.id, selectedFeature!.id, Number(selectedFeature!.properties.version));
      afterSave(selectedLayer!.id, null);
    } catch (error) {
      setEditError((error as Error).message);
    }
  };
  const drawNew = (layerId: string, geometry: GeoJSON.Geometry | null = null) => {
    const layer = layers.find((l) => l.id === layerId)!;
    updateUrl((s) => ({ ...s, selection: null }));
    setEditing({ kind: 'create', layerId, geometry });
    setDrawing(geometry ? null : { mode: drawModeOf(layer), nonce: Date.now() });
  };
  const creating = editing?.kind === 'create' ? layers.find((l) => l.id === editing.layerId) : undefined;
  // A slide's saved state becomes the app's state; the camera flies to it.
  const goToSlide = useCallback(
    (index: number) => {
      const slide = views[Math.max(0, Math.min(index, views.length - 1))];
      if (!slide) return;
      const saved = parseUrlState(`#${slide.state}`);
      setHighlight([]);
      updateUrl((s) => ({ ...s, view: saved.view, layers: saved.layers, selection: saved.selection, filter: saved.filter, present: slide.id }));
      setFocus(
        saved.view
          ? { selection: null, view: saved.view, nonce: Date.now() }
          : { selection: saved.selection, nonce: Date.now() },
      );
    },
    [views, updateUrl],
  );
  const startPresentation = (from = 0) => {
    goToSlide(from);
    void document.documentElement.requestFullscreen?.().catch(() => {});
  };
  const endPresentation = useCallback(() => {
    updateUrl((s) => ({ ...s, present: null }));
    if (document.fullscreenElement) void document.exitFullscreen();
  }, [updateUrl]);
  // A shared link that opens a presentation starts at its slide.
  const [openedPresenting] = useState(() => url.present);
  useEffect(() => {
    const at = views.findIndex((v) => v.id === openedPresenting);
    if (at >= 0) goToSlide(at);
    // Only once, when the views have arrived.
  }, [views.length > 0]);

  const copyLink = async () => {
    await navigator.clipboard?.writeText(window.location.href).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };

  if (url.print) {
    return catalogue ? (
      <PrintPage url={url} layers={layers} vocabularies={catalogue.vocabularies} data={shown} visible={visible} homeBounds={homeBounds} />
    ) : null;
  }

  const presenting = url.present !== null && views.length > 0;
  return (
    <div className={`app ${sidebarOpen ? 'sidebar-open' : ''} ${selectedFeature || creating ? 'details-open' : ''} ${presenting ? 'presenting' : ''}`}>
      <header className="topbar">
        <button
          type="button"
          className="icon-button sidebar-toggle"
          aria-expanded={sidebarOpen}
          aria-controls="sidebar"
          aria-label={sidebarOpen ? t('closePanel') : t('openPanel')}
          onClick={() => setSidebarOpen(!sidebarOpen)}
        >
          ☰
        </button>
        <h1>{t('appTitle')}</h1>
        {catalogue && (
          <SearchBox
            layers={layers}
            vocabularies={catalogue.vocabularies}
            onChoose={(hit) => choose({ layer: hit.layer, id: hit.id })}
          />
        )}
        <div className="topbar-actions">
          <button type="button" onClick={() => setFocus({ selection: null, nonce: Date.now() })}>
            {t('resetView')}
          </button>
          <button type="button" onClick={() => startPresentation()} disabled={views.length === 0}>
            {t('present')}
          </button>
          <button type="button" onClick={() => setDashboard(true)}>
            {t('dashboard')}
          </button>
          <button type="button" onClick={() => setPrinting(true)}>
            {t('print')}
          </button>
          <button type="button" onClick={copyLink} aria-live="polite">
            {copied ? t('linkCopied') : t('copyLink')}
          </button>
          <SignIn session={session} />
          <button
            type="button"
            className="lang"
            lang={url.lang === 'vi' ? 'en' : 'vi'}
            aria-label={t('switchToOtherLabel')}
            onClick={() => updateUrl((s) => ({ ...s, lang: s.lang === 'vi' ? 'en' : 'vi' }))}
          >
            {t('switchToOther')}
          </button>
        </div>
      </header>

      <aside id="sidebar" className="sidebar" aria-label={t('layers')} hidden={!sidebarOpen}>
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'layers'} onClick={() => setTab('layers')}>
            {t('layers')}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'list'} onClick={() => setTab('list')}>
            {t('list')}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'analysis'} onClick={() => setTab('analysis')}>
            {t('analysis')}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'data'} onClick={() => setTab('data')}>
            {t('data')}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'slides'} onClick={() => setTab('slides')}>
            {t('slides')}
          </button>
        </div>
        {tab === 'layers' && (
          <div className="as-of">
            <label>
              {t('asOf')}{' '}
              <input type="date" value={url.asOf ?? ''} max={new Date().toISOString().slice(0, 10)} onChange={(e) => updateUrl((s) => ({ ...s, asOf: e.target.value || null }))} />
            </label>
          </div>
        )}
        {catalogue && tab === 'layers' && (
          <LayerPanel layers={layers} vocabularies={catalogue.vocabularies} data={shown} visible={visible} onToggle={toggle} />
        )}
        {catalogue && tab === 'list' && (
          <>
            <FilterPanel
              zones={allZones}
              shown={shownZoneCount}
              vocabularies={catalogue.vocabularies}
              filter={filter}
              onChange={(next) => updateUrl((s) => ({ ...s, filter: serializeFilter(next) }))}
            />
            <FeatureList layers={layers} data={shown} vocabularies={catalogue.vocabularies} selection={url.selection} onChoose={choose} />
          </>
        )}
        {catalogue && tab === 'data' && (
          <TransferPanel
            layers={layers}
            canEdit={editor}
            hasSelection={!!selectedFeature}
            onPreview={setPreview}
            onImported={reload}
            onDrawNew={(layerId) => drawNew(layerId)}
            onUseOutline={(geometry, target, layerId) => {
              if (target === 'new') drawNew(layerId, geometry);
              else startReshape(geometry);
            }}
          />
        )}
        {tab === 'slides' && (
          <ViewsPanel
            views={views}
            canEdit={editor}
            currentState={slideState(url)}
            onChange={setViews}
            onPlay={(index) => startPresentation(index)}
          />
        )}
        {catalogue && tab === 'analysis' && (
          <>
            <AnalysisPanel analysis={analysis} data={data} layers={layers} vocabularies={catalogue.vocabularies} onChoose={choose} />
            <section className="compare-tray" aria-labelledby="compare-heading">
              <h2 id="compare-heading">{t('compare')}</h2>
              {compared.length === 0 ? (
                <p className="small muted">{t('compareEmpty')}</p>
              ) : (
                <ul>
                  {compared.map((c) => (
                    <li key={`${c.selection.layer}/${c.selection.id}`}>
                      <span>{String(url.lang === 'en' ? (c.feature.properties.name_en ?? c.feature.properties.name_vi) : c.feature.properties.name_vi)}</span>
                      <button type="button" aria-label={t('removeFromCompare')} onClick={() => toggleCompare(c.selection)}>
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <button type="button" disabled={compared.length === 0} onClick={() => setComparing(true)}>
                {t('openCompare')}
              </button>
            </section>
          </>
        )}
      </aside>

      <main className="map-area">
        {catalogue && basemap !== undefined ? (
          <MapView
            layers={layers}
            basemap={basemap}
            vocabularies={catalogue.vocabularies}
            data={shown}
            visible={visible}
            lang={url.lang}
            selection={url.selection}
            highlight={highlight}
            focus={focus}
            initialView={url.view}
            homeBounds={homeBounds}
            onSelect={select}
            onViewChange={(view) => updateUrl((s) => ({ ...s, view }))}
            overlay={overlay}
            tool={analysis.tool}
            onToolClick={analysis.onMapClick}
            onToolFinish={analysis.finish}
            drawing={drawing}
            onDrawn={(geometry) =>
              setEditing((current) =>
                current?.kind === 'reshape' ? { ...current, geometry } : current?.kind === 'create' ? { ...current, geometry } : current,
              )
            }
          />
        ) : (
          <div className="map-placeholder" role="status">
            {error ? null : t('loadingLayers')}
          </div>
        )}
        {url.asOf && (
          <div className="as-of-banner" role="status">
            {t('asOfBanner', { date: i18n.date(url.asOf) })}{' '}
            <button type="button" onClick={() => updateUrl((s) => ({ ...s, asOf: null }))}>
              {t('asOfClear')}
            </button>
          </div>
        )}
        {drawing && (
          <div className="draw-banner" role="status">
            {editing?.kind === 'reshape' ? t('reshapeHint') : t('drawHint')}
          </div>
        )}
        {presenting && <Presentation views={views} current={url.present!} onGo={goToSlide} onExit={endPresentation} />}
        {error && (
          <div className="error-banner" role="alert">
            {t('loadFailed', { detail: error.detail })}{' '}
            <button type="button" onClick={() => setAttempt(attempt + 1)}>
              {t('retry')}
            </button>
          </div>
        )}
      </main>

      {selectedFeature && selectedLayer && catalogue && editing?.kind === 'form' && (
        <aside className="details-panel" aria-label={t('details')}>
          <FeatureForm
            key={`${selectedFeature.id}-${String(selectedFeature.properties.version)}`}
            layer={selectedLayer}
            vocabularies={catalogue.vocabularies}
            feature={selectedFeature}
            onSaved={(feature) => afterSave(selectedLayer.id, feature)}
            onCancel={() => setEditing(null)}
          />
        </aside>
      )}
      {creating && catalogue && editing?.kind === 'create' && (
        <aside className="details-panel" aria-label={t('details')}>
          {editing.geometry ? (
            <FeatureForm
              layer={creating}
              vocabularies={catalogue.vocabularies}
              feature={null}
              geometry={editing.geometry}
              onSaved={(feature) => afterSave(creating.id, feature)}
              onCancel={() => afterSave(creating.id, null)}
            />
          ) : (
            <div className="details">
              <h2>{t('newFeatureIn', { layer: i18n.title(creating.title) })}</h2>
              <p>{t('drawHint')}</p>
              <button type="button" onClick={() => afterSave(creating.id, null)}>
                {t('cancel')}
              </button>
            </div>
          )}
        </aside>
      )}
      {selectedFeature && selectedLayer && catalogue && editing?.kind !== 'form' && (
        <aside className="details-panel" aria-label={t('details')}>
          <DetailsPanel
            layer={selectedLayer}
            feature={selectedFeature}
            vocabularies={catalogue.vocabularies}
            sources={sources}
            onClose={() => select(null)}
            onZoom={() => setFocus({ selection: url.selection!, nonce: Date.now() })}
          >
            {editor && selectedLayer.editable && !url.asOf && (
              <div className="edit-actions">
                {editing?.kind === 'reshape' ? (
                  <>
                    <label className="hide-toggle">
                      <input type="checkbox" checked={repair} onChange={(e) => setRepair(e.target.checked)} /> {t('repairGeometry')}
                    </label>
                    <button type="button" disabled={!editing.geometry} onClick={() => editing.geometry && void saveShape(editing.geometry)}>
                      {t('saveGeometry')}
                    </button>
                    <button type="button" onClick={() => { setEditing(null); setDrawing(null); }}>
                      {t('cancel')}
                    </button>
                  </>
                ) : editing?.kind === 'delete' ? (
                  <div role="alertdialog" aria-label={t('deleteFeature')} className="confirm">
                    <p>{t('confirmDelete', { name: String(selectedFeature.properties.name_vi) })}</p>
                    <button type="button" className="danger" onClick={() => void removeSelected()}>
                      {t('confirmDeleteYes')}
                    </button>
                    <button type="button" onClick={() => setEditing(null)}>
                      {t('cancel')}
                    </button>
                  </div>
                ) : (
                  <>
                    <button type="button" onClick={() => setEditing({ kind: 'form' })}>
                      {t('edit')}
                    </button>
                    <button type="button" onClick={() => startReshape(selectedFeature.geometry)}>
                      {t('reshape')}
                    </button>
                    <button type="button" onClick={() => setEditing({ kind: 'delete' })}>
                      {t('deleteFeature')}
                    </button>
                  </>
                )}
                {editError && (
                  <p className="form-error" role="alert">
                    {editError}
                  </p>
                )}
              </div>
            )}
            {zoneLayerIds.includes(selectedLayer.id) && (
              <button
                type="button"
                aria-pressed={isCompared(url.selection!)}
                disabled={!isCompared(url.selection!) && url.compare.length >= MAX_COMPARED}
                title={!isCompared(url.selection!) && url.compare.length >= MAX_COMPARED ? t('compareFull') : undefined}
                onClick={() => toggleCompare(url.selection!)}
              >
                {isCompared(url.selection!) ? t('removeFromCompare') : t('addToCompare')}
              </button>
            )}
            <ProximitySection selection={url.selection!} onChoose={choose} />
            {selectedLayer.editable && (
              <HistorySection
                layer={selectedLayer}
                feature={selectedFeature}
                vocabularies={catalogue.vocabularies}
                canRevert={editor && !url.asOf}
                onReverted={(feature) => afterSave(selectedLayer.id, feature)}
              />
            )}
          </DetailsPanel>
        </aside>
      )}
      {printing && <PrintDialog url={url} onClose={() => setPrinting(false)} />}
      {dashboard && catalogue && (
        <Suspense fallback={null}>
          <Dashboard
            layers={layers}
            data={shown}
            vocabularies={catalogue.vocabularies}
            onClose={() => setDashboard(false)}
            onChooseZone={choose}
            onFilterZones={(status, kind) => {
              updateUrl((s) => ({ ...s, filter: serializeFilter({ ...parseFilter(''), statuses: [status], kinds: [kind] }) }));
              setTab('list');
              setSidebarOpen(true);
            }}
            onHighlight={(items) => {
              setHighlight(items);
              const boxes = items.map((i) => data[i.layer]?.features.find((f) => f.id === i.id)).filter((f) => f !== undefined).map((f) => bboxOf(f!));
              if (boxes.length) {
                const bbox: [number, number, number, number] = [
                  Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3])),
                ];
                setFocus({ selection: null, bbox, nonce: Date.now() });
              }
            }}
          />
        </Suspense>
      )}
      {comparing && catalogue && <CompareTable zones={compared} vocabularies={catalogue.vocabularies} onClose={() => setComparing(false)} />}
    </div>
  );
}
