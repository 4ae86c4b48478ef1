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
