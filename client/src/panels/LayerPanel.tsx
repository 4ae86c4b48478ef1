// Layer toggles, each with its legend underneath: the symbols shown are exactly those on
// the map (same colours, dashes and icons; only statuses present in the data).
import type { LayerInfo, MapFeatureCollection, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { hasIndicative, hasPointSymbols, legendEntries, type LegendEntry } from './legend.ts';
import { DashedOutlineSwatch, Swatch } from './Swatch.tsx';

type Props = {
  layers: LayerInfo[];
  vocabularies: VocabularyMap;
  data: Record<string, MapFeatureCollection | undefined>;
  visible: ReadonlySet<string>;
  onToggle(layerId: string, visible: boolean): void;
};

export function LayerPanel({ layers, vocabularies, data, visible, onToggle }: Props) {
  const { t } = useI18n();
  // Top of the map first, as in a GIS table of contents.
  const ordered = [...layers].reverse();
  const thematic = ordered.filter((l) => l.group === 'thematic');
  const base = ordered.filter((l) => l.group === 'base');
  const indicativeShown = thematic.some((l) => visible.has(l.id) && hasIndicative(data[l.id]));
  const pointsShown = thematic.some((l) => visible.has(l.id) && hasPointSymbols(l, data[l.id]));
  return (
    <div className="layer-panel">
      <section aria-labelledby="thematic-heading">
        <h2 id="thematic-heading">{t('thematicLayers')}</h2>
        <ul className="layer-list">
          {thematic.map((layer) => (
            <LayerRow key={layer.id} layer={layer} {...{ vocabularies, data, visible, onToggle }} />
          ))}
        </ul>
        {(indicativeShown || pointsShown) && (
          <ul className="legend-notes">
            {indicativeShown && (
              <li>
                <DashedOutlineSwatch /> {t('indicativeLegend')}
              </li>
            )}
            {pointsShown && (
              <li>
                <Swatch kind="circle" color="#ffffff" /> {t('unknownAreaLegend')}
              </li>
            )}
          </ul>
        )}
      </section>
      <section aria-labelledby="base-heading">
        <h2 id="base-heading">{t('baseLayers')}</h2>
        <ul className="layer-list base">
          {base.map((layer) => (
            <LayerRow key={layer.id} layer={layer} {...{ vocabularies, data, visible, onToggle }} />
          ))}
        </ul>
      </section>
    </div>
  );
}

function LayerRow({ layer, vocabularies, data, visible, onToggle }: Omit<Props, 'layers'> & { layer: LayerInfo }) {
  const i18n = useI18n();
  const on = visible.has(layer.id);
  const entries = legendEntries(layer, data[layer.id], vocabularies);
  const single = entries.length === 1 && !entries[0]!.term;
  const inputId = `toggle-${layer.id}`;
  return (
    <li className={on ? 'layer on' : 'layer off'}>
      <div className="layer-head">
        <input id={inputId} type="checkbox" checked={on} onChange={(e) => onToggle(layer.id, e.target.checked)} />
        <label htmlFor={inputId} title={i18n.title(layer.description)}>
          {single && <Swatch kind={entries[0]!.kind} color={entries[0]!.color} />}
          <span className="layer-title">{i18n.title(layer.title)}</span>
          {layer.group === 'thematic' && <span className="count">{i18n.number(layer.featureCount)}</span>}
        </label>
      </div>
      {on && !single && <LegendEntries layer={layer} entries={entries} />}
    </li>
  );
}

/** The legend lines of one layer: its symbols, what each means, how many are shown. */
export function LegendEntries({ layer, entries }: { layer: LayerInfo; entries: LegendEntry[] }) {
  const i18n = useI18n();
  if (!entries.length) return null;
  return (
    <ul className="legend" aria-label={`${i18n.t('legend')}: ${i18n.title(layer.title)}`}>
      {entries.map((e) => (
        <li key={e.key}>
          <Swatch kind={e.kind} color={e.color} shape={e.shape} />
          <span>{e.term ? i18n.title(e.term.title) : i18n.title(layer.title)}</span>
          <span className="count">{i18n.number(e.count)}</span>
        </li>
      ))}
    </ul>
  );
}
