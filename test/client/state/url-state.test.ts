import { describe, expect, it } from 'vitest';
import { defaultState, parseUrlState, serializeUrlState, type UrlState } from '../../../client/src/state/url-state.ts';

describe('URL state', () => {
  const full: UrlState = {
    lang: 'en',
    view: { zoom: 10.5, lat: 21.84612, lon: 106.76123 },
    layers: ['industrial_parks', 'border_gates'],
    selection: { layer: 'industrial_parks', id: 'vsip-lang-son' },
    filter: 'kind:industrial_cluster;vacant:10',
    compare: [
      { layer: 'industrial_parks', id: 'vsip-lang-son' },
      { layer: 'industrial_clusters', id: 'ccn-ho-son-1' },
    ],
    asOf: '2025-07-01',
    print: null,
    title: '',
    present: null,
  };

  it('round-trips every part of the state', () => {
    const hash = serializeUrlState(full);
    expect(hash).toBe(
      '#lang=en&map=10.5/21.84612/106.76123&layers=industrial_parks,border_gates&sel=industrial_parks/vsip-lang-son' +
        '&f=kind%3Aindustrial_cluster%3Bvacant%3A10&cmp=industrial_parks/vsip-lang-son,industrial_clusters/ccn-ho-son-1&at=2025-07-01',
    );
    expect(parseUrlState(hash)).toEqual(full);
  });

  it('carries the print layout and its title', () => {
    const printed = { ...full, print: { paper: 'A3' as const, orientation: 'portrait' as const }, title: 'Họp tỉnh – 12/2026' };
    expect(parseUrlState(serializeUrlState(printed))).toEqual(printed);
    expect(parseUrlState('#print=A5-landscape').print).toBeNull();
  });

  it('carries the presented slide', () => {
    expect(parseUrlState(serializeUrlState({ ...full, present: 'huu-nghi-1119-1120' })).present).toBe('huu-nghi-1119-1120');
    expect(parseUrlState('#present=../etc').present).toBeNull();
  });

  it('opens an empty link with the defaults (Vietnamese, whole province)', () => {
    expect(parseUrlState('')).toEqual(defaultState);
    expect(serializeUrlState(defaultState)).toBe('#lang=vi');
  });

  it('keeps "no layers visible" apart from "default layers"', () => {
    expect(parseUrlState('#layers=').layers).toEqual([]);
    expect(parseUrlState('#lang=vi').layers).toBeNull();
  });

  it('rounds the view to what matters (~1 m, 1/100 zoom)', () => {
    const hash = serializeUrlState({ ...defaultState, view: { zoom: 9.123456, lat: 21.123456789, lon: 106.987654321 } });
    expect(hash).toBe('#lang=vi&map=9.12/21.12346/106.98765');
  });

  it.each([
    ['#lang=fr', { lang: 'vi' }],
    ['#map=abc', { view: null }],
    ['#map=30/21/106', { view: null }],
    ['#map=10/95/106', { view: null }],
    ['#map=10/21', { view: null }],
    ['#sel=industrial_parks', { selection: null }],
    ['#sel=a/b/c', { selection: null }],
    ['#sel=<script>/x', { selection: null }],
    ['#layers=ok,<bad>,also_ok', { layers: ['ok', 'also_ok'] }],
  ])('ignores what is malformed in %s', (hash, expected) => {
    expect(parseUrlState(hash)).toMatchObject(expected);
  });
});
