import { describe, expect, it } from 'vitest';
import type { FieldInfo } from '../../../client/src/api/types.ts';
import { hideableFields, toFormValues, toProperties } from '../../../client/src/edit/form-values.ts';

const field = (name: string, type: FieldInfo['type'], extra: Partial<FieldInfo> = {}): FieldInfo => ({ name, type, title: { vi: name, en: name }, visibility: 'public', ...extra });
const fields = [
  field('name_vi', 'text'),
  field('status', 'text', { vocabulary: 'status' }),
  field('area_ha', 'number', { unit: 'ha' }),
  field('communes', 'text[]'),
  field('legal_basis', 'json'),
  field('internal_notes', 'text', { visibility: 'internal' }),
  field('difficulties', 'text'),
  field('version', 'integer', { generated: true }),
];
const zone = {
  name_vi: 'KCN A',
  status: 'planned',
  area_ha: 599.76,
  communes: ['Hữu Lũng', 'Tuấn Sơn'],
  legal_basis: [{ type: 'decision', number: '1/QĐ', date: null, issuer: null, title: 'Phê duyệt' }],
  internal_notes: null,
  difficulties: 'GPMB',
  internal_fields: [],
  version: 3,
};

describe('edit form values', () => {
  it('sends nothing when nothing changed', () => {
    expect(toProperties(fields, toFormValues(fields, zone), zone)).toEqual({});
  });

  it('sends only what changed, typed: numbers with a decimal comma, lists by line', () => {
    const values = toFormValues(fields, zone);
    values.text.status = 'operating';
    values.text.area_ha = '600,5';
    values.text.communes = 'Hữu Lũng\n\nTân Thành ';
    values.hidden = ['difficulties'];
    expect(toProperties(fields, values, zone)).toEqual({ status: 'operating', area_ha: 600.5, communes: ['Hữu Lũng', 'Tân Thành'], internal_fields: ['difficulties'] });
  });

  it('clears a value to null, and edits the legal basis as rows', () => {
    const values = toFormValues(fields, zone);
    values.text.difficulties = '  ';
    values.legal.push({ type: 'decision', number: '2/QĐ', date: '2025-01-02', issuer: '', title: 'Mới' });
    expect(toProperties(fields, values, zone)).toEqual({
      difficulties: null,
      legal_basis: [zone.legal_basis[0], { type: 'decision', number: '2/QĐ', date: '2025-01-02', issuer: null, title: 'Mới' }],
    });
  });

  it('sends every filled-in value for a new feature, and never generated fields', () => {
    const values = toFormValues(fields, {});
    values.text.name_vi = 'Cụm mới';
    expect(toProperties(fields, values)).toEqual({ name_vi: 'Cụm mới' });
  });

  it('lets only public, non-identity fields be hidden per feature', () => {
    expect(hideableFields(fields).map((f) => f.name)).toEqual(['area_ha', 'communes', 'legal_basis', 'difficulties']);
  });
});
