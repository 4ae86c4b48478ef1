// The application shell: loads the layer registry and data from our server, keeps the
// shareable state in the URL, and lays out header, layer panel, map and details.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, fetchBasemapStyle, fetchConfig, fetchFeature, fetchLayerData, fetchLayers, fetchSources, fetchViews, type SavedView } from './api/client.ts';
import type { StyleSpecification } from 'maplibre-gl';
import type { LayersResponse, MapFeature, MapFeatureCollection } from './api/types.ts';
import { AnalysisPanel } from './analysis/AnalysisPanel.tsx';
import { ProximitySection } from './analysis/ProximitySection.tsx';
import { useAnalysis } from './analysis/use-analysis.ts';
import { MAX_COMPARED } from './compare/compare.ts';
import { CompareTable } from './compare/CompareTable.tsx';
import { FilterPanel } from './filters/FilterPanel.tsx';
import { applyFilter, parseFilter, serializeFilter } from './filters/zone-filter.ts';
import { I18nProvider, useI18n } from './i18n/i18n.tsx';
import { featureBounds as bboxOf } from './map/features.ts';
import { MapView, type FocusRequest } from './map/MapView.tsx';
import { CONTEXT_BOUNDS } from './map/style.ts';
import { DetailsPanel, type SourceInfo } from './panels/DetailsPanel.tsx';
import { FeatureList } from './panels/FeatureList.tsx';
import { LayerPanel } from './panels/LayerPanel.tsx';
import { Presentation } from './present/Presentation.tsx';
import { PrintDialog } from './print/PrintDialog.tsx';
import { PrintPage } from './print/PrintPage.tsx';
import { SearchBox } from './search/SearchBox.tsx';
import { parseUrlState, type Selection } from './state/url-state.ts';
import { useUrlState } from './state/use-url-state.ts';

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
  const [tab, setTab] = useState<'layers' | 'list' | 'analysis'>('layers');
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

  // Registry first, then every layer's data in parallel (thematic layers first).
  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    fetchLayers(abort.signal)
      .then((response) => {
        setCatalogue(response);
        // Tiled layers are too large to download whole: the map reads their tiles.
        const ordered = response.layers.filter((l) => l.delivery !== 'tiles').sort((a, b) => Number(a.group === 'base') - Number(b.group === 'base'));
        for (const layer of ordered) {
          fetchLayerData(layer.links.geojson, abort.signal)
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
  }, [attempt]);

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
  const startPresentation = () => {
    goToSlide(0);
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
    <div className={`app ${sidebarOpen ? 'sidebar-open' : ''} ${selectedFeature ? 'details-open' : ''} ${presenting ? 'presenting' : ''}`}>
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
          <button type="button" onClick={startPresentation} disabled={views.length === 0}>
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
        </div>
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
            overlay={analysis.overlay}
            tool={analysis.tool}
            onToolClick={analysis.onMapClick}
            onToolFinish={analysis.finish}
          />
        ) : (
          <div className="map-placeholder" role="status">
            {error ? null : t('loadingLayers')}
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

      {selectedFeature && selectedLayer && catalogue && (
        <aside className="details-panel" aria-label={t('details')}>
          <DetailsPanel
            layer={selectedLayer}
            feature={selectedFeature}
            vocabularies={catalogue.vocabularies}
            sources={sources}
            onClose={() => select(null)}
            onZoom={() => setFocus({ selection: url.selection!, nonce: Date.now() })}
          >
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
