// The timeline of one feature in the details panel: who changed what and when, field
// by field; editors can revert any one change (which is itself a new change).
import { useEffect, useState } from 'react';
import { ApiError, fetchHistory, revertChange, type HistoryEntry } from '../api/client.ts';
import type { LayerInfo, MapFeature, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatValue } from '../panels/format.ts';

type Props = {
  layer: LayerInfo;
  feature: MapFeature;
  vocabularies: VocabularyMap;
  canRevert: boolean;
  onReverted(feature: MapFeature | null): void;
};

export function HistorySection({ layer, feature, vocabularies, canRevert, onReverted }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = Number(feature.properties.version);

  useEffect(() => {
    const abort = new AbortController();
    fetchHistory(layer.id, feature.id, abort.signal).then(setEntries, (e: unknown) => e instanceof ApiError && setError(e.detail));
    return () => abort.abort();
  }, [layer.id, feature.id, version]);

  const revert = async (entry: HistoryEntry) => {
    setError(null);
    try {
      const result = await revertChange(layer.id, feature.id, entry.id, version);
      onReverted(result.feature);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    }
  };

  const field = (name: string) => layer.fields.find((f) => f.name === name);
  const show = (name: string, value: unknown) => {
    const f = field(name);
    return f ? formatValue(f, value, i18n, vocabularies) : JSON.stringify(value);
  };
  const when = (iso: string) => `${i18n.date(iso)} ${new Date(iso).toLocaleTimeString(i18n.lang === 'vi' ? 'vi-VN' : 'en-GB', { hour: '2-digit', minute: '2-digit' })}`;

  return (
    <section className="history" aria-labelledby="history-heading">
      <h3 id="history-heading">{t('history')}</h3>
      {error && <p className="form-error">{error}</p>}
      {entries && entries.length === 0 && <p className="muted">{t('historyEmpty')}</p>}
      <ol className="timeline">
        {[...(entries ?? [])].reverse().map((entry) => (
          <li key={entry.id}>
            <p className="timeline-head">
              <strong>{t(`action_${entry.action}`)}</strong> <span className="muted">{when(entry.at)}</span>
              {entry.actor && <span className="actor"> · {entry.actor}</span>}
              <span className="muted"> · v{entry.version}</span>
            </p>
            {entry.note && <p className="small muted">{entry.note}</p>}
            <ul className="changes">
              {entry.changes.map((c) => (
                <li key={c.field}>
                  <span className="muted">{field(c.field) ? i18n.title(field(c.field)!.title) : c.field}:</span> {entry.action !== 'create' && <del>{show(c.field, c.before)}</del>} → <ins>{show(c.field, c.after)}</ins>
                </li>
              ))}
              {entry.geometryChanged && <li className="muted">{t('geometryChanged')}</li>}
            </ul>
            {canRevert && (
              <button type="button" className="small-button" onClick={() => void revert(entry)}>
                {t('revert')}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
