// Field values as people read them: units, the locale's number and date formats,
// vocabulary titles — and "no data" for unknown values, never 0.
import type { FieldInfo, LegalBasisEntry, VocabularyMap } from '../api/types.ts';
import type { I18n } from '../i18n/i18n.tsx';

export const isUnknown = (value: unknown) =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

const UNIT_KEYS = { ha: 'ha', km: 'km', '%': 'percent', 'bn VND': 'billionVnd' } as const;

export function formatValue(field: FieldInfo, value: unknown, i18n: I18n, vocabularies: VocabularyMap): string {
  if (isUnknown(value)) return i18n.t('noData');
  if (field.vocabulary) {
    const term = vocabularies[field.vocabulary].find((v) => v.id === value);
    return term ? i18n.title(term.title) : String(value);
  }
  switch (field.type) {
    case 'number':
    case 'integer': {
      const n = Number(value);
      const text = field.name.endsWith('_year') ? String(n) : i18n.number(n, field.unit === '%' ? 1 : 2);
      return field.unit ? `${text}${field.unit === '%' ? '' : ' '}${i18n.t(UNIT_KEYS[field.unit])}` : text;
    }
    case 'date':
      return i18n.date(String(value));
    case 'datetime':
      return i18n.date(String(value).slice(0, 10));
    case 'text[]':
      return (value as string[]).join(', ');
    case 'json':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

export function formatLegalBasis(entry: LegalBasisEntry, i18n: I18n): string {
  const date = entry.date ? ` (${i18n.date(entry.date)})` : '';
  const issuer = entry.issuer ? ` — ${entry.issuer}` : '';
  return `${entry.number}${date}: ${entry.title}${issuer}`;
}

/** A distance as people say it: metres under 1 km, else km with one decimal. */
export function formatDistance(metres: number, i18n: I18n): string {
  return metres < 1000 ? `${i18n.number(Math.round(metres), 0)} m` : `${i18n.number(metres / 1000, 1)} ${i18n.t('km')}`;
}

/** An area in m² under 1 ha, else in ha (and km² from 100 ha on, as well). */
export function formatArea(squareMetres: number, i18n: I18n): string {
  if (squareMetres < 10_000) return `${i18n.number(Math.round(squareMetres), 0)} m²`;
  const ha = `${i18n.number(squareMetres / 10_000, 2)} ${i18n.t('ha')}`;
  return squareMetres >= 1_000_000 ? `${ha} (${i18n.number(squareMetres / 1_000_000, 2)} km²)` : ha;
}
