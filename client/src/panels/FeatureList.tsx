// All features of one layer as a table, sortable by name, status or size; choosing a
// row selects the feature and zooms to it.
import { useMemo, useState } from 'react';
import type { LayerInfo, MapFeatureCollection, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { Selection } from '../state/url-state.ts';
import { formatValue } from './format.ts';
import { Swatch } from './Swatch.tsx';

type SortKey = 'name' | 'status' | 'size';

type Props = {
  layers: LayerInfo[];
  data: Record<string, MapFeatureCollection | undefined>;
  vocabularies: VocabularyMap;
  selection: Selection | null;
  onChoose(selection: Selection): void;
};

const SIZE_FIELDS = ['area_ha', 'length_km'];

export function FeatureList({ layers, data, vocabularies, selection, onChoose }: Props) {
  const i18n = useI18n();
  const thematic = layers.filter((l) => l.group === 'thematic').reverse();
  const [layerId, setLayerId] = useState(selection && thematic.some((l) => l.id === selection.layer) ? selection.layer : thematic[0]?.id);
  const [sort, setSort] = useState<{ key: SortKey; ascending: boolean }>({ key: 'name', ascending: true });
  const layer = thematic.find((l) => l.id === layerId);
  const sizeField = layer?.fields.find((f) => SIZE_FIELDS.includes(f.name));
  const statusOrder = useMemo(() => new Map(vocabularies.status.map((s, i) => [s.id, i])), [vocabularies]);
  const nameOf = (p: Record<string, unknown>) => String(i18n.lang === 'en' ? (p.name_en ?? p.name_vi) : p.name_vi);

  const rows = useMemo(() => {
    const features = [...(data[layerId ?? '']?.features ?? [])];
    const value = (p: Record<string, unknown>): string | number | null =>
      sort.key === 'name' ? nameOf(p) : sort.key === 'status' ? (statusOrder.get(String(p.status)) ?? 99) : sizeField ? ((p[sizeField.name] as number | null) ?? null) : null;
    const collator = new Intl.Collator(i18n.lang === 'vi' ? 'vi' : 'en');
    features.sort((a, b) => {
      const [x, y] = [value(a.properties), value(b.properties)];
      // Unknown sizes go last whatever the direction: they are not small.
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return sort.ascending ? order : -order;
    });
    return features;
    // nameOf depends on the language only.
  }, [data, layerId, sort, statusOrder, sizeField, i18n.lang]);

  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : 'none'}>
        <button type="button" onClick={() => setSort({ key, ascending: active ? !sort.ascending : true })}>
          {label} {active ? (sort.ascending ? '▲' : '▼') : ''}
        </button>
      </th>
    );
  };

  return (
    <div className="feature-list">
      <label className="list-layer">
        <span>{i18n.t('selectLayerForList')}</span>
        <select value={layerId} onChange={(e) => setLayerId(e.target.value)}>
          {thematic.map((l) => (
            <option key={l.id} value={l.id}>
              {i18n.title(l.title)}
            </option>
          ))}
        </select>
      </label>
      {rows.length === 0 ? (
        <p className="muted">{i18n.t('noFeatures')}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{layer && i18n.t('featuresIn', { layer: i18n.title(layer.title) })}</caption>
          <thead>
            <tr>
              {header('name', i18n.t('name'))}
              {header('status', i18n.t('status'))}
              {sizeField && header('size', i18n.title(sizeField.title))}
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => {
              const status = vocabularies.status.find((s) => s.id === f.properties.status);
              const selected = selection !== null && selection.layer === layerId && selection.id === f.id;
              return (
                <tr key={f.id} className={selected ? 'selected' : ''}>
                  <td>
                    <button type="button" className="row-link" onClick={() => onChoose({ layer: layerId!, id: f.id })}>
                      {nameOf(f.properties)}
                    </button>
                  </td>
                  <td>
                    {status && <Swatch kind="circle" color={status.color!} />} {status ? i18n.title(status.title) : ''}
                  </td>
                  {sizeField && <td className="number">{formatValue(sizeField, f.properties[sizeField.name], i18n, vocabularies)}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
