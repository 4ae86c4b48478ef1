// Distances from the selected feature to the nearest gate and expressways and to the
// city centre, computed by the server on the ellipsoid.
import { useEffect, useState } from 'react';
import { fetchProximity, type NearestFeature, type Proximity } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatDistance } from '../panels/format.ts';
import type { Selection } from '../state/url-state.ts';

export function ProximitySection({ selection, onChoose }: { selection: Selection; onChoose(s: Selection): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [result, setResult] = useState<Proximity | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    setResult(null);
    fetchProximity(selection.layer, selection.id, abort.signal)
      .then(setResult)
      .catch(() => {});
    return () => abort.abort();
  }, [selection.layer, selection.id]);

  const row = (label: string, near: NearestFeature | null) =>
    near && (
      <div>
        <dt>{label}</dt>
        <dd>
          <strong>{formatDistance(near.distance_m, i18n)}</strong> –{' '}
          <button type="button" className="row-link" onClick={() => onChoose({ layer: near.layer, id: near.id })}>
            {i18n.lang === 'en' ? (near.name_en ?? near.name_vi) : near.name_vi}
          </button>
        </dd>
      </div>
    );

  return (
    <section className="proximity" aria-busy={!result}>
      <h3>{t('proximity')}</h3>
      {!result ? (
        <p className="muted">{t('loading')}</p>
      ) : (
        <>
          <dl className="fields">
            {row(t('nearestGate'), result.nearest_gate)}
            {row(t('nearestExpressway'), result.nearest_expressway)}
            {result.nearest_open_expressway?.id !== result.nearest_expressway?.id && row(t('nearestOpenExpressway'), result.nearest_open_expressway)}
            {result.city_centre && (
              <div>
                <dt>{t('cityCentre')}</dt>
                <dd>
                  <strong>{formatDistance(result.city_centre.distance_m, i18n)}</strong>
                </dd>
              </div>
            )}
          </dl>
          <p className="small muted">{t('straightLine')}</p>
        </>
      )}
    </section>
  );
}
