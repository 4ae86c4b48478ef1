// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../../client/src/i18n/i18n.tsx';
import { DetailsPanel } from '../../../client/src/panels/DetailsPanel.tsx';
import { feature, layer, vocabularies } from '../support/catalogue.ts';

afterEach(cleanup);

const cluster = feature('ccn-ho-son-1', {
  kind: 'industrial_cluster',
  name_vi: 'Cụm công nghiệp Hồ Sơn 1',
  name_en: 'Hồ Sơn 1 Industrial Cluster',
  status: 'under_construction',
  status_date: '2024-05-01',
  area_ha: 73.76,
  leasable_ha: null,
  occupied_ha: null,
  occupancy_pct: null,
  vacant_ha: null,
  developer: null,
  communes: ['Cai Kinh'],
  legal_basis: [{ type: 'decision', number: '854/QĐ-UBND', date: '2023-06-02', issuer: 'UBND tỉnh Lạng Sơn', title: 'Thành lập CCN Hồ Sơn 1' }],
  difficulties: null,
  notes: 'Ghi chú công khai',
  sources: ['DNKTX'],
  source_date: '2023-06-02',
  accuracy: 'indicative',
  geometry_note: 'Phác họa theo diện tích pháp lý',
});

const sources = new Map([['DNKTX', { key: 'DNKTX', title: 'Lạng Sơn thành lập CCN Hồ Sơn 1', publisher: 'doanhnghiepkinhtexanh.vn', published: '2023-06', url: 'https://example.org/x' }]]);

function show(lang: 'vi' | 'en', f = cluster) {
  return render(
    <I18nProvider lang={lang}>
      <DetailsPanel layer={layer('industrial_clusters')} feature={f} vocabularies={vocabularies} sources={sources} onClose={vi.fn()} onZoom={vi.fn()} />
    </I18nProvider>,
  );
}

describe('details panel', () => {
  it('shows name, kind, status with its date, and the legal area in Vietnamese formats', () => {
    show('vi');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Cụm công nghiệp Hồ Sơn 1');
    expect(screen.getByText('Cụm công nghiệp', { selector: '.eyebrow' })).toBeTruthy();
    expect(screen.getByText('Đang xây dựng')).toBeTruthy();
    expect(screen.getByText(/cập nhật 01\/05\/2024/)).toBeTruthy();
    expect(screen.getByText('73,76 ha')).toBeTruthy();
  });

  it('says "no data" for unknown numbers, never 0', () => {
    show('vi');
    const figures = document.querySelector('.figures') as HTMLElement;
    expect(within(figures).getAllByText('không có dữ liệu')).toHaveLength(4);
    expect(figures.textContent).not.toMatch(/\b0 ha|0 %/);
  });

  it('warns plainly that an indicative outline is not a legal boundary', () => {
    show('vi');
    expect(screen.getByRole('note').textContent).toContain('không phải ranh giới pháp lý');
    expect(screen.getByText('Vị trí minh họa – không phải ranh giới pháp lý')).toBeTruthy();
    expect(screen.getByText('Phác họa theo diện tích pháp lý')).toBeTruthy();
  });

  it('says the shape is only a symbol when the area is unknown', () => {
    show('en', { ...cluster, properties: { ...cluster.properties, area_ha: null } });
    expect(screen.getByRole('note').textContent).toContain('Area and boundary unknown');
  });

  it('lists the legal basis with dates, and the sources with links', () => {
    show('en');
    expect(screen.getByText(/854\/QĐ-UBND \(02 Jun 2023\): Thành lập CCN Hồ Sơn 1/)).toBeTruthy();
    const link = screen.getByRole('link', { name: 'Lạng Sơn thành lập CCN Hồ Sơn 1' });
    expect(link.getAttribute('href')).toBe('https://example.org/x');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  it('shows the English name with the Vietnamese one beneath in English', () => {
    show('en');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Hồ Sơn 1 Industrial Cluster');
    expect(screen.getByText('Cụm công nghiệp Hồ Sơn 1', { selector: '.subtitle' })).toBeTruthy();
    expect(screen.getByText('73.76 ha')).toBeTruthy();
  });

  it('does not invent a section for a field the server left out (hidden for the public)', () => {
    const { properties } = cluster;
    const { difficulties: _hidden, ...rest } = properties;
    show('vi', { ...cluster, properties: rest });
    expect(screen.queryByText('Khó khăn, vướng mắc')).toBeNull();
  });
});
