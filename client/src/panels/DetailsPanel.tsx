// Everything public about one feature, driven by the layer's field list from the
// server: titles in the user's language, units, vocabulary names, "no data" for
// unknowns, and where the facts and the geometry come from.
import type { ReactNode } from 'react';
import type { LayerInfo, LegalBasisEntry, MapFeature, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatLegalBasis, formatValue, isUnknown } from './format.ts';
import { Swatch } from './Swatch.tsx';

export type SourceInfo = { key: string; title: string; publisher: string; published: string; url: string | null };

type Props = {
  layer: LayerInfo;
  feature: MapFeature;
  vocabularies: VocabularyMap;
  sources: ReadonlyMap<string, SourceInfo>;
  onClose(): void;
  onZoom(): void;
  /** Extra actions and sections (comparison, distances) placed after the figures. */
  children?: ReactNode;
};

// Shown in their own places in the panel rather than in the generic list.
const FIGURES = ['area_ha', 'leasable_ha', 'occupied_ha', 'occupancy_pct', 'vacant_ha'];
const TEXT_BLOCKS = ['difficulties', 'proposals', 'notes'];
const PLACED_ELSEWHERE = new Set([
  'name_vi', 'name_en', 'kind', 'status', 'status_date', 'legal_basis', 'sources', 'source_date', 'accuracy',
  'geometry_note', 'version', 'updated_at', ...FIGURES, ...TEXT_BLOCKS,
]);

export function DetailsPanel({ layer, feature, vocabularies, sources, onClose, onZoom, children }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const p = feature.properties;
  const field = (name: string) => layer.fields.find((f) => f.name === name);
  const show = (name: string) => {
    const f = field(name);
    return f ? formatValue(f, p[name], i18n, vocabularies) : '';
  };
  const name = i18n.lang === 'en' ? String(p.name_en ?? p.name_vi) : String(p.name_vi);
  const statusTerm = vocabularies.status.find((s) => s.id === p.status);
  const kindField = field('kind') ?? field('gate_type') ?? field('plan_level');
  const indicative = p.accuracy === 'indicative';
  const placeholderShape = layer.style.pointWhenNull !== undefined && p[layer.style.pointWhenNull] === null;
  const others = layer.fields.filter((f) => !PLACED_ELSEWHERE.has(f.name) && f.name in p);
  const legalBasis = (p.legal_basis as LegalBasisEntry[] | undefined) ?? [];
  const sourceKeys = (p.sources as string[] | undefined) ?? [];

  return (
    <article className="details" aria-labelledby="details-title">
      <header>
        <p className="eyebrow">{kindField ? show(kindField.name) : i18n.title(layer.title)}</p>
        <h2 id="details-title">{name}</h2>
        {i18n.lang === 'en' && typeof p.name_en === 'string' && <p className="subtitle" lang="vi">{String(p.name_vi)}</p>}
        <div className="details-actions">
          <button type="button" onClick={onZoom}>{t('zoomTo')}</button>
          <button type="button" className="close" onClick={onClose} aria-label={t('close')}>×</button>
        </div>
      </header>

      {(indicative || placeholderShape) && (
        <p className="warning" role="note">
          <strong>{placeholderShape ? t('unknownAreaWarning') : t('indicativeWarning')}</strong>
        </p>
      )}

      {statusTerm && (
        <p className="status">
          <Swatch kind="circle" color={statusTerm.color!} />
          <span>
            <strong>{i18n.title(statusTerm.title)}</strong>
            {typeof p.status_date === 'string' && <span className="muted"> · {t('statusAsOf', { date: i18n.date(p.status_date) })}</span>}
          </span>
        </p>
      )}

      {FIGURES.some((n) => field(n)) && (
        <dl className="figures">
          {FIGURES.filter((n) => field(n)).map((n) => (
            <div key={n} className={isUnknown(p[n]) ? 'unknown' : ''}>
              <dt>{i18n.title(field(n)!.title)}</dt>
              <dd>{show(n)}</dd>
            </div>
          ))}
        </dl>
      )}

      {children}

      {others.length > 0 && (
        <dl className="fields">
          {others.map((f) => (
            <div key={f.name} className={isUnknown(p[f.name]) ? 'unknown' : ''}>
              <dt>{i18n.title(f.title)}</dt>
              <dd>{show(f.name)}</dd>
            </div>
          ))}
        </dl>
      )}

      {field('legal_basis') && (
        <section>
          <h3>{t('legalBasis')}</h3>
          {legalBasis.length ? (
            <ul className="legal-basis">
              {legalBasis.map((entry) => (
                <li key={`${entry.number}-${entry.date}`}>{formatLegalBasis(entry, i18n)}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('noData')}</p>
          )}
        </section>
      )}

      {TEXT_BLOCKS.filter((n) => field(n) && n in p).map((n) => (
        <section key={n}>
          <h3>{i18n.title(field(n)!.title)}</h3>
          <p className={isUnknown(p[n]) ? 'muted' : 'prose'}>{isUnknown(p[n]) ? t('noData') : String(p[n])}</p>
        </section>
      ))}

      <section className="provenance">
        <h3>{t('accuracy')}</h3>
        <p>
          <strong className={indicative ? 'indicative' : ''}>{show('accuracy')}</strong>
        </p>
        {typeof p.geometry_note === 'string' && (
          <p className="small">
            <span className="muted">{t('geometryNote')}: </span>
            {p.geometry_note}
          </p>
        )}
        <h3>{t('sources')}</h3>
        <ul className="sources">
          {sourceKeys.map((key) => {
            const s = sources.get(key);
            return (
              <li key={key}>
                {s?.url ? (
                  <a href={s.url} target="_blank" rel="noreferrer noopener">
                    {s.title}
                  </a>
                ) : (
                  (s?.title ?? key)
                )}
                {s && <span className="muted"> — {s.publisher}, {s.published}</span>}
              </li>
            );
          })}
        </ul>
        <p className="small">
          <span className="muted">{t('sourceDate')}: </span>
          {show('source_date')}
        </p>
      </section>
    </article>
  );
}
