import { describe, expect, it } from 'vitest';
import { slideState } from '../../../client/src/present/slide-state.ts';
import { defaultState, parseUrlState } from '../../../client/src/state/url-state.ts';

describe('slideState', () => {
  const state = {
    ...defaultState,
    lang: 'en' as const,
    view: { zoom: 11.5, lat: 21.84567, lon: 106.76123 },
    layers: ['industrial_parks', 'border_gates'],
    selection: { layer: 'industrial_clusters', id: 'ccn-na-duong-1' },
    filter: 'status=operating',
    compare: [{ layer: 'industrial_parks', id: 'vsip-lang-son' }],
    present: 'toan-tinh',
  };

  it('keeps the map, layers, selection and filter, and they read back the same', () => {
    const saved = parseUrlState(`#${slideState(state)}`);
    expect(saved).toMatchObject({ view: state.view, layers: state.layers, selection: state.selection, filter: state.filter });
  });

  it('leaves out the language, comparisons and the presentation itself', () => {
    const text = slideState(state);
    expect(text).not.toMatch(/lang=|cmp=|present=/);
    expect(parseUrlState(`#${text}`)).toMatchObject({ lang: 'vi', compare: [], present: null });
  });

  it('is only characters the server accepts for a view', () => {
    expect(slideState({ ...state, filter: `q=Na Dương & "x" it's (1)*!~` })).toMatch(/^[A-Za-z0-9_\-.,/=&%:;+]*$/);
    expect(slideState(defaultState)).toBe('');
  });
});
