// The analysis tab: zones within a radius of a gate, an expressway or a point; distance
// and area measurement on the ellipsoid; a point's coordinates in VN-2000.
import type { LayerInfo, MapFeatureCollection, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatArea, formatDistance } from '../panels/format.ts';
import { Swatch } from '../panels/Swatch.tsx';
import type { Selection } from '../state/url-state.ts';
import { geodesicArea, geodesicLength } from './measure.ts';
import { PICKED_POINT, type Analysis, type Tool } from './use-analysis.ts';

type Props = {
  analysis: Analysis;
  data: Record<string, MapFeatureCollection | undefined>;
  layers: LayerInfo[];
  vocabularies: VocabularyMap;
  onChoose(selection: Selection): void;
};

export function AnalysisPanel({ analysis: a, data, layers, vocabularies, onChoose }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const name = (p: Record<string, unknown>) => String(i18n.lang === 'en' ? (p.name_en ?? p.name_vi) : p.name_vi);
  const layerTitle = (id: string) => i18n.title(layers.find((l) => l.id === id)?.title ?? { vi: id, en: id });
  const gates = data.border_gates?.features ?? [];
  const expressways = data.expressways?.features ?? [];
  const toolButton = (tool: Exclude<Tool, 'origin' | null>, label: string) => (
    <button type="button" aria-pressed={a.tool === tool} onClick={() => a.setTool(a.tool === tool ? null : tool)}>
      {label}
    </button>
  );
  const length = geodesicLength(a.points);
  const polygon = geodesicArea(a.points);

  return (
    <div className="analysis-panel">
      <section aria-labelledby="within-heading">
        <h2 id="within-heading">{t('within')}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (a.origin === PICKED_POINT && !a.pickedOrigin) a.setTool('origin');
            else void a.runWithin();
          }}
        >
          <label className="field">
            <span>{t('withinFrom')}</span>
            <select value={a.origin} onChange={(e) => a.setOrigin(e.target.value)}>
              <optgroup label={layerTitle('border_gates')}>
                {gates.map((g) => (
                  <option key={g.id} value={`border_gates/${g.id}`}>
                    {name(g.properties)}
                  </option>
                ))}
              </optgroup>
              <optgroup label={layerTitle('expressways')}>
                <option value="expressways">{t('anyExpressway')}</option>
                {expressways.map((x) => (
                  <option key={x.id} value={`expressways/${x.id}`}>
                    {name(x.properties)}
                  </option>
                ))}
              </optgroup>
              <option value={PICKED_POINT}>{t('pointOnMap')}</option>
            </select>
          </label>
          <label className="field">
            <span>{t('radiusKm')}</span>
            <input type="number" min="0.1" max="500" step="0.1" required value={a.radiusKm} onChange={(e) => a.setRadiusKm(Number(e.target.value))} />
          </label>
          <div className="buttons">
            <button type="submit">{t('find')}</button>
            <button type="button" onClick={a.clear}>
              {t('clear')}
            </button>
          </div>
        </form>
        {a.tool === 'origin' && <p className="hint">{t('pickPointHint')}</p>}
        {a.error && (
          <p className="error" role="alert">
            {a.error}
          </p>
        )}
        {a.within && (
          <div aria-live="polite">
            <p>
              <strong>{t('withinResult', { count: a.within.features.length, radius: a.within.radius_km })}</strong>
            </p>
            <ol className="within-results">
              {a.within.features.map((f) => {
                const status = vocabularies.status.find((s) => s.id === f.status);
                return (
                  <li key={`${f.layer}/${f.id}`}>
                    {status && <Swatch kind="circle" color={status.color!} />}
                    <button type="button" className="row-link" onClick={() => onChoose({ layer: f.layer, id: f.id })}>
                      {name(f as unknown as Record<string, unknown>)}
                    </button>
                    <span className="count">{formatDistance(f.distance_m, i18n)}</span>
                  </li>
                );
              })}
            </ol>
            <p className="small muted">{t('straightLine')}</p>
          </div>
        )}
      </section>

      <section aria-labelledby="measure-heading">
        <h2 id="measure-heading">{t('measure')}</h2>
        <div className="buttons" role="group" aria-label={t('measure')}>
          {toolButton('line', t('measureDistance'))}
          {toolButton('area', t('measureArea'))}
          {toolButton('point', t('pointCoordinates'))}
        </div>
        {(a.tool === 'line' || a.tool === 'area') && (
          <div aria-live="polite" className="measure-result">
            <p className="hint">{t('measureHint')}</p>
            {a.tool === 'line' && a.points.length >= 2 && (
              <p>
                {t('length')}: <strong data-testid="measured-length">{formatDistance(length, i18n)}</strong>
              </p>
            )}
            {a.tool === 'area' && a.points.length >= 3 && (
              <>
                <p>
                  {t('measuredArea')}: <strong data-testid="measured-area">{formatArea(polygon.area, i18n)}</strong>
                </p>
                <p>
                  {t('perimeter')}: {formatDistance(polygon.perimeter, i18n)}
                </p>
              </>
            )}
            <p className="small muted">{t('onEllipsoid')}</p>
          </div>
        )}
        {a.tool === 'point' && (
          <div aria-live="polite" className="measure-result">
            <p className="hint">{t('pickPointHint')}</p>
            {a.pointInfo && (
              <dl className="fields">
                <div>
                  <dt>{t('lonLat')}</dt>
                  <dd>
                    {a.pointInfo.lon.toFixed(6)}, {a.pointInfo.lat.toFixed(6)}
                  </dd>
                </div>
                <div>
                  <dt>{t('vn2000Tm3')}</dt>
                  <dd data-testid="vn2000-tm3">
                    X = {i18n.number(a.pointInfo.vn2000.tm3_lang_son.x_northing, 2)} m
                    <br />Y = {i18n.number(a.pointInfo.vn2000.tm3_lang_son.y_easting, 2)} m
                  </dd>
                </div>
                <div>
                  <dt>{t('vn2000Utm')}</dt>
                  <dd>
                    X = {i18n.number(a.pointInfo.vn2000.utm48n.x_northing, 2)} m
                    <br />Y = {i18n.number(a.pointInfo.vn2000.utm48n.y_easting, 2)} m
                  </dd>
                </div>
                {a.pointInfo.commune && (
                  <div>
                    <dt>{t('inCommune')}</dt>
                    <dd>{a.pointInfo.commune}</dd>
                  </div>
                )}
              </dl>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
