// Filters for industrial zones: kind, status, commune, area, vacant land, occupancy.
// The map, the list, the legend counts and the URL all follow the same filter.
import type { MapFeature, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { emptyFilter, isEmptyFilter, type Range, type ZoneFilter } from './zone-filter.ts';

type Props = {
  zones: MapFeature[];
  shown: number;
  vocabularies: VocabularyMap;
  filter: ZoneFilter;
  onChange(filter: ZoneFilter): void;
};

const toNumber = (text: string) => (text.trim() === '' || !Number.isFinite(Number(text)) ? null : Number(text));

export function FilterPanel({ zones, shown, vocabularies, filter, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const statusesPresent = new Set(zones.map((z) => String(z.properties.status)));
  const communes = [...new Set(zones.flatMap((z) => (z.properties.communes as string[] | undefined) ?? []))].sort((a, b) => a.localeCompare(b, 'vi'));
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const rangeInputs = (label: string, range: Range, set: (r: Range) => void, name: string) => (
    <fieldset className="range">
      <legend>{label}</legend>
      <label>
        {t('rangeFrom')}
        <input type="number" min="0" inputMode="decimal" name={`${name}-min`} value={range.min ?? ''} onChange={(e) => set({ ...range, min: toNumber(e.target.value) })} />
      </label>
      <label>
        {t('rangeTo')}
        <input type="number" min="0" inputMode="decimal" name={`${name}-max`} value={range.max ?? ''} onChange={(e) => set({ ...range, max: toNumber(e.target.value) })} />
      </label>
    </fieldset>
  );

  return (
    <details className="filters" open={!isEmptyFilter(filter)}>
      <summary>
        {t('filter')} <span className="count">{t('shownCount', { shown, total: zones.length })}</span>
      </summary>
      <fieldset className="chips">
        <legend>{t('kindFilter')}</legend>
        {vocabularies.zone_kind.map((k) => (
          <label key={k.id}>
            <input type="checkbox" checked={filter.kinds.includes(k.id)} onChange={() => onChange({ ...filter, kinds: toggle(filter.kinds, k.id) })} />
            {i18n.title(k.title)}
          </label>
        ))}
      </fieldset>
      <fieldset className="chips">
        <legend>{t('statusFilter')}</legend>
        {vocabularies.status
          .filter((s) => statusesPresent.has(s.id))
          .map((s) => (
            <label key={s.id}>
              <input type="checkbox" checked={filter.statuses.includes(s.id)} onChange={() => onChange({ ...filter, statuses: toggle(filter.statuses, s.id) })} />
              {i18n.title(s.title)}
            </label>
          ))}
      </fieldset>
      <label className="field">
        <span>{t('communeFilter')}</span>
        <select value={filter.commune ?? ''} onChange={(e) => onChange({ ...filter, commune: e.target.value || null })}>
          <option value="">{t('allCommunes')}</option>
          {communes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      {rangeInputs(t('areaRange'), filter.area, (area) => onChange({ ...filter, area }), 'area')}
      <label className="field">
        <span>{t('vacantAtLeast')}</span>
        <input
          type="number"
          min="0"
          inputMode="decimal"
          name="vacant-min"
          value={filter.vacantAtLeast ?? ''}
          onChange={(e) => onChange({ ...filter, vacantAtLeast: toNumber(e.target.value) })}
        />
      </label>
      {rangeInputs(t('occupancyRange'), filter.occupancy, (occupancy) => onChange({ ...filter, occupancy }), 'occupancy')}
      <p className="small muted">{t('unknownNotCounted')}</p>
      <button type="button" disabled={isEmptyFilter(filter)} onClick={() => onChange(emptyFilter)}>
        {t('resetFilter')}
      </button>
    </details>
  );
}
