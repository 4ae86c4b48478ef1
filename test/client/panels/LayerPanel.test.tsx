// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../../client/src/i18n/i18n.tsx';
import { LayerPanel } from '../../../client/src/panels/LayerPanel.tsx';
import { catalogue, collection, feature, vocabularies } from '../support/catalogue.ts';

afterEach(cleanup);

// jsdom has no canvas: the gate icons of the legend are drawn with a stub.
HTMLCanvasElement.prototype.getContext = vi.fn(() => new Proxy({}, { get: () => vi.fn() })) as never;
HTMLCanvasElement.prototype.toDataURL = () => 'data:image/png;base64,';

const data = {
  industrial_clusters: collection(feature('a', { status: 'approved', accuracy: 'indicative', area_ha: 70 })),
};

describe('layer panel', () => {
  it('has a labelled checkbox per layer, thematic ones first', () => {
    const onToggle = vi.fn();
    render(
      <I18nProvider lang="vi">
        <LayerPanel layers={catalogue} vocabularies={vocabularies} data={data} visible={new Set(['industrial_clusters'])} onToggle={onToggle} />
      </I18nProvider>,
    );
    const boxes = screen.getAllByRole('checkbox');
    expect(boxes).toHaveLength(catalogue.length);
    const clusters = screen.getByRole('checkbox', { name: /Cụm công nghiệp/ }) as HTMLInputElement;
    expect(clusters.checked).toBe(true);
    fireEvent.click(clusters);
    expect(onToggle).toHaveBeenCalledWith('industrial_clusters', false);
    const gates = screen.getByRole('checkbox', { name: /Cửa khẩu/ }) as HTMLInputElement;
    expect(gates.checked).toBe(false);
  });

  it('shows the legend of visible layers only, with the indicative note', () => {
    render(
      <I18nProvider lang="en">
        <LayerPanel layers={catalogue} vocabularies={vocabularies} data={data} visible={new Set(['industrial_clusters'])} onToggle={vi.fn()} />
      </I18nProvider>,
    );
    const legend = screen.getByRole('list', { name: 'Legend: Industrial clusters' });
    expect(legend.textContent).toContain('Approved');
    expect(screen.getByText('Dashed: indicative location, not a legal boundary')).toBeTruthy();
  });
});
