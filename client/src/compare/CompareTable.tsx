// Up to four zones side by side — area, land, status, distances, legal basis — in a
// dialog, with a CSV download of exactly what is shown.
import { useEffect, useRef, useState } from 'react';
import { fetchProximity, type Proximity } from '../api/client.ts';
import type { LayerInfo, LegalBasisEntry, MapFeature, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatDistance, formatValue } from '../panels/format.ts';
import type { Selection } from '../state/url-state.ts';
import { toCsv, type CompareRow } from './compare.ts';

type Compared = { selection: Selection; layer: LayerInfo; feature: MapFeature };

type Props = { zones: Compared[]; vocabularies: VocabularyMap; onClose(): void };

const FIELDS = ['kind', 'status', 'status_date', 'area_ha', 'leasable_ha', 'occupied_ha', 'vacant_ha', 'occupancy_pct', 'developer', 'communes', 'accuracy'];

export function CompareTable({ zones, vocabularies, onClose }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const dialog = useRef<HTMLDialogElement>(null);
  const [proximity, setProximity] = useState<Record<string, Proximity>>({});

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    const abort = new AbortController();
    for (const z of zones) {
      fetchProximity(z.selection.layer, z.selection.id, abort.signal)
        .then((p) => setProximity((current) => ({ ...current, [z.selection.id]: p })))
        .catch(() => {});
    }
    return () => abort.abort();
  }, [zones]);

  const name = (f: MapFeature) => String(i18n.lang === 'en' ? (f.properties.name_en ?? f.properties.name_vi) : f.properties.name_vi);
  const near = (z: Compared, key: 'nearest_gate' | 'nearest_expressway' | 'nearest_open_expressway') => {
    const n = proximity[z.selection.id]?.[key];
    return n ? t('distanceTo', { km: i18n.number(n.distance_m / 1000, 1), name: i18n.lang === 'en' ? (n.name_en ?? n.name_vi) : n.name_vi }) : '…';
  };
  const rows: CompareRow[] = [
    ...FIELDS.filter((f) => zones[0]?.layer.fields.some((x) => x.name === f)).map((fieldName) => {
      const field = zones[0]!.layer.fields.find((x) => x.name === fieldName)!;
      return { label: i18n.title(field.title), values: zones.map((z) => formatValue(field, z.feature.properties[fieldName], i18n, vocabularies)) };
    }),
    { label: t('nearestGate'), values: zones.map((z) => near(z, 'nearest_gate')) },
    { label: t('nearestExpressway'), values: zones.map((z) => near(z, 'nearest_expressway')) },
    { label: t('nearestOpenExpressway'), values: zones.map((z) => near(z, 'nearest_open_expressway')) },
    {
      label: t('cityCentre'),
      values: zones.map((z) => {
        const c = proximity[z.selection.id]?.city_centre;
        return c ? formatDistance(c.distance_m, i18n) : '…';
      }),
    },
    {
      label: t('legalBasis'),
      values: zones.map((z) => {
        const list = (z.feature.properties.legal_basis as LegalBasisEntry[] | undefined) ?? [];
        return list.length ? list.map((e) => e.number).join('; ') : t('noData');
      }),
    },
  ];
  const header = ['', ...zones.map((z) => name(z.feature))];

  const download = () => {
    const blob = new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `so-sanh-khu-cum-cong-nghiep-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <dialog ref={dialog} className="compare-dialog" aria-labelledby="compare-title" onClose={onClose}>
      <header>
        <h2 id="compare-title">{t('compareTitle')}</h2>
        <div className="buttons">
          <button type="button" onClick={download}>
            {t('exportCsv')}
          </button>
          <button type="button" onClick={() => dialog.current?.close()} aria-label={t('close')}>
            ×
          </button>
        </div>
      </header>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              {header.map((h, i) => (
                <th key={i} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                {r.values.map((v, i) => (
                  <td key={i} className={v === t('noData') ? 'muted' : ''}>
                    {v}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted">{t('straightLine')}</p>
    </dialog>
  );
}
