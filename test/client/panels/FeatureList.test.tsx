// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../../client/src/i18n/i18n.tsx';
import { FeatureList } from '../../../client/src/panels/FeatureList.tsx';
import { catalogue, collection, feature, vocabularies } from '../support/catalogue.ts';

afterEach(cleanup);

const data = {
  industrial_clusters: collection(
    feature('b', { name_vi: 'Đình Lập', status: 'approved', area_ha: 71.39 }),
    feature('a', { name_vi: 'Bắc Sơn 2', status: 'operating', area_ha: null }),
    feature('c', { name_vi: 'Hồ Sơn 1', status: 'under_construction', area_ha: 73.76 }),
  ),
};

function names() {
  return screen.getAllByRole('row').slice(1).map((r) => r.querySelector('button')!.textContent);
}

describe('feature list', () => {
  it('sorts by Vietnamese name, by status in life-cycle order, by area with unknowns last', () => {
    render(
      <I18nProvider lang="vi">
        <FeatureList layers={catalogue} data={data} vocabularies={vocabularies} selection={{ layer: 'industrial_clusters', id: 'a' }} onChoose={vi.fn()} />
      </I18nProvider>,
    );
    expect(names()).toEqual(['Bắc Sơn 2', 'Đình Lập', 'Hồ Sơn 1']);
    fireEvent.click(screen.getByRole('button', { name: /Hiện trạng/ }));
    expect(names()).toEqual(['Đình Lập', 'Hồ Sơn 1', 'Bắc Sơn 2']);
    fireEvent.click(screen.getByRole('button', { name: /Diện tích quy hoạch/ }));
    expect(names()).toEqual(['Đình Lập', 'Hồ Sơn 1', 'Bắc Sơn 2']);
    fireEvent.click(screen.getByRole('button', { name: /Diện tích quy hoạch/ }));
    expect(names()).toEqual(['Hồ Sơn 1', 'Đình Lập', 'Bắc Sơn 2']);
    expect(screen.getByText('không có dữ liệu')).toBeTruthy();
  });

  it('chooses a feature', () => {
    const onChoose = vi.fn();
    render(
      <I18nProvider lang="vi">
        <FeatureList layers={catalogue} data={data} vocabularies={vocabularies} selection={{ layer: 'industrial_clusters', id: 'a' }} onChoose={onChoose} />
      </I18nProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Hồ Sơn 1' }));
    expect(onChoose).toHaveBeenCalledWith({ layer: 'industrial_clusters', id: 'c' });
  });
});
