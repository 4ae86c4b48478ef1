// Language context: strings, titles from the API ({vi, en}), and numbers and dates in
// the locale's own format (vi: 599,76 ha and 15/05/2023; en: 599.76 ha and 15 May 2023).
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { strings, type Lang, type StringKey } from './strings.ts';

export type Title = { vi: string; en: string };

export type I18n = {
  lang: Lang;
  t(key: StringKey, params?: Record<string, string | number>): string;
  title(title: Title): string;
  number(value: number, maximumFractionDigits?: number): string;
  date(iso: string): string;
};

const locales: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

export function createI18n(lang: Lang): I18n {
  const numberFormats = new Map<number, Intl.NumberFormat>();
  const dateFormat = new Intl.DateTimeFormat(locales[lang], {
    day: '2-digit',
    month: lang === 'vi' ? '2-digit' : 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  // Plain functions, no `this`: components destructure them (const { t } = useI18n()).
  const number = (value: number, maximumFractionDigits = 2) => {
    let format = numberFormats.get(maximumFractionDigits);
    if (!format) {
      format = new Intl.NumberFormat(locales[lang], { maximumFractionDigits });
      numberFormats.set(maximumFractionDigits, format);
    }
    return format.format(value);
  };
  return {
    lang,
    t: (key, params) => {
      let text: string = strings[lang][key];
      for (const [name, value] of Object.entries(params ?? {})) {
        text = text.replace(`{${name}}`, typeof value === 'number' ? number(value) : value);
      }
      return text;
    },
    title: (title) => title[lang],
    number,
    // Dates are calendar dates (YYYY-MM-DD): format them in UTC so no time zone shifts the day.
    date: (iso) => {
      const parsed = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(parsed.getTime()) ? iso : dateFormat.format(parsed);
    },
  };
}

const I18nContext = createContext<I18n>(createI18n('vi'));

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const value = useMemo(() => createI18n(lang), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);
