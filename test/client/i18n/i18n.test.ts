import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../client/src/i18n/i18n.tsx';
import { strings } from '../../../client/src/i18n/strings.ts';

describe('interface strings', () => {
  it('exist in Vietnamese and English, with the same keys and placeholders, none empty', () => {
    expect(Object.keys(strings.en).sort()).toEqual(Object.keys(strings.vi).sort());
    for (const key of Object.keys(strings.vi) as (keyof typeof strings.vi)[]) {
      expect(strings.vi[key].trim(), key).not.toBe('');
      expect(strings.en[key].trim(), key).not.toBe('');
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(strings.en[key]), key).toEqual(placeholders(strings.vi[key]));
    }
  });

  it('write Vietnamese with its diacritics', () => {
    expect(strings.vi.noData).toBe('không có dữ liệu');
    expect(strings.vi.appTitle).toBe('Bản đồ khu, cụm công nghiệp tỉnh Lạng Sơn');
    // A Vietnamese interface string without any diacritic is almost always a typo.
    const plain = Object.entries(strings.vi).filter(([, v]) => /[a-z]{3}/i.test(v) && !/[^\x00-\x7F]/.test(v));
    // Correct as written: 'Chu vi', a proper name, units.
    const withoutMarks = ['switchToOther', 'km', 'ha', 'percent', 'perimeter', 'vn2000Utm', 'landscape', 'northLetter', 'slideOf'];
    expect(plain.map(([k]) => k).filter((k) => !withoutMarks.includes(k))).toEqual([]);
  });
});

describe('formats', () => {
  const vi = createI18n('vi');
  const en = createI18n('en');

  it('formats numbers the way each language writes them', () => {
    expect(vi.number(599.76)).toBe('599,76');
    expect(en.number(599.76)).toBe('599.76');
    expect(vi.number(39400)).toBe('39.400');
    expect(en.number(39400)).toBe('39,400');
  });

  it('formats calendar dates without shifting the day', () => {
    expect(vi.date('2023-05-15')).toBe('15/05/2023');
    expect(en.date('2023-05-15')).toBe('15 May 2023');
    expect(vi.date('2024-12-31T00:00:00Z')).toBe('31/12/2024');
  });

  it('fills placeholders with formatted values, also when t is used on its own', () => {
    const { t } = vi;
    expect(t('featureCount', { count: 1234 })).toBe('1.234 đối tượng');
    expect(en.t('statusAsOf', { date: '01 Jul 2025' })).toBe('as of 01 Jul 2025');
  });
});
