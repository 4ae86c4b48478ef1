// The printable map: one sheet of A4 or A3 with title, date, the map, the legend of
// the visible layers, scale bar, north arrow, the data sources and the accuracy note.
// Headless Chromium prints it to PDF/PNG on the server; a browser can print it too.
import { useEffect, useMemo, useState } from 'react';
import type { LayerInfo, MapFeatureCollection, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { MapView } from '../map/MapView.tsx';
import { legendEntries } from '../panels/legend.ts';
import { LegendEntries } from '../panels/LayerPanel.tsx';
import { DashedOutlineSwatch } from '../panels/Swatch.tsx';
import type { UrlState } from '../state/url-state.ts';

declare global {
  interface Window {
    /** Set when the print layout has drawn everything: the server then prints. */
    lsgisPrintReady?: boolean;
  }
}

type Props = {
  url: UrlState;
  layers: LayerInfo[];
  vocabularies: VocabularyMap;
  data: Record<string, MapFeatureCollection | undefined>;
  visible: ReadonlySet<string>;
  homeBounds: [number, number, number, number];
};

export function PrintPage({ url, layers, vocabularies, data, visible, homeBounds }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const paper = url.print!;
  const [idle, setIdle] = useState(false);
  const shown = layers.filter((l) => visible.has(l.id));
  const loaded = layers.every((l) => l.delivery === 'tiles' || data[l.id]);
  const thematic = [...shown].reverse().filter((l) => l.group === 'thematic');
  const credits = useMemo(() => [...new Set(shown.map((l) => l.attribution).filter((a): a is string => !!a))], [shown]);

  // The sheet's size comes from the CSS named page of its class (styles.css): an injected
  // <style> would need 'unsafe-inline' in the Content-Security-Policy.
  useEffect(() => {
    document.documentElement.classList.add('printing');
    return () => document.documentElement.classList.remove('printing');
  }, []);

  // Ready once every layer's data is in and the map has drawn it (then fonts are in too).
  useEffect(() => {
    if (loaded && idle) void document.fonts.ready.then(() => (window.lsgisPrintReady = true));
  }, [loaded, idle]);

  const today = i18n.date(new Date().toISOString().slice(0, 10));
  return (
    <div className={`print-page ${paper.paper} ${paper.orientation}`}>
      <header className="print-header">
        <h1>{url.title || t('appTitle')}</h1>
        <p>
          {t('printedOn', { date: today })} · {t('appShortTitle')}
        </p>
      </header>
      <div className="print-body">
        <div className="print-map">
          <MapView
            mode="print"
            layers={layers}
            basemap={null}
            vocabularies={vocabularies}
            data={data}
            visible={visible}
            lang={url.lang}
            selection={url.selection}
            focus={null}
            initialView={url.view}
            homeBounds={homeBounds}
            onSelect={() => {}}
            onViewChange={() => {}}
            overlay={{ type: 'FeatureCollection', features: [] }}
            tool={null}
            onToolClick={() => {}}
            onToolFinish={() => {}}
            onIdle={() => setIdle(true)}
          />
          <svg className="north-arrow" viewBox="0 0 40 56" width="34" height="48" role="img" aria-label={t('north')}>
            <path d="M20 4 L32 40 L20 32 L8 40 Z" fill="#1f1f1f" />
            <path d="M20 4 L20 32 L8 40 Z" fill="#ffffff" stroke="#1f1f1f" strokeWidth="1.5" />
            <text x="20" y="54" textAnchor="middle" fontSize="13" fontWeight="700">
              {t('northLetter')}
            </text>
          </svg>
        </div>
        <aside className="print-legend" aria-label={t('legend')}>
          <h2>{t('legend')}</h2>
          {thematic.map((layer) => (
            <section key={layer.id}>
              <h3>{i18n.title(layer.title)}</h3>
              <LegendEntries layer={layer} entries={legendEntries(layer, data[layer.id], vocabularies)} />
            </section>
          ))}
          <p className="print-note">
            <DashedOutlineSwatch /> {t('indicativeLegend')}
          </p>
        </aside>
      </div>
      <footer className="print-footer">
        <p>
          <strong>{t('accuracyNotice')}</strong>
        </p>
        <p>
          {t('sources')}: {t('thematicCredit')}. {credits.join('. ')}.
        </p>
      </footer>
    </div>
  );
}
