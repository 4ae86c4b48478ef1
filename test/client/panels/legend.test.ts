import { describe, expect, it } from 'vitest';
import { hasIndicative, hasPointSymbols, legendEntries } from '../../../client/src/panels/legend.ts';
import { collection, feature, layer, vocabularies } from '../support/catalogue.ts';

describe('legend', () => {
  it('lists only the statuses present, in life-cycle order, with counts', () => {
    const data = collection(
      feature('a', { status: 'operating' }),
      feature('b', { status: 'planned' }),
      feature('c', { status: 'operating' }),
    );
    const entries = legendEntries(layer('industrial_clusters'), data, vocabularies);
    expect(entries.map((e) => [e.term?.id, e.count])).toEqual([
      ['planned', 1],
      ['operating', 2],
    ]);
    expect(entries.every((e) => e.kind === 'fill')).toBe(true);
  });

  it('draws not-yet-built roads dashed, as on the map', () => {
    const data = collection(feature('a', { status: 'planned' }), feature('b', { status: 'operating' }));
    const kinds = Object.fromEntries(legendEntries(layer('expressways'), data, vocabularies).map((e) => [e.term!.id, e.kind]));
    expect(kinds).toEqual({ planned: 'line-dashed', operating: 'line' });
  });

  it('shows gate shapes by type and colours by status', () => {
    const data = collection(
      feature('a', { status: 'operating', gate_type: 'international' }),
      feature('b', { status: 'suspended', gate_type: 'opening' }),
    );
    const keys = legendEntries(layer('border_gates'), data, vocabularies).map((e) => e.key);
    expect(keys).toEqual(['type-international', 'type-opening', 'status-operating', 'status-suspended']);
  });

  it('gives a fixed-colour layer one entry', () => {
    expect(legendEntries(layer('rivers'), collection(feature('r', {})), vocabularies)).toHaveLength(1);
  });

  it('notes indicative outlines and point symbols only when some are shown', () => {
    expect(hasIndicative(collection(feature('a', { accuracy: 'digitized' })))).toBe(false);
    expect(hasIndicative(collection(feature('a', { accuracy: 'indicative' })))).toBe(true);
    expect(hasPointSymbols(layer('industrial_clusters'), collection(feature('a', { area_ha: null })))).toBe(true);
    expect(hasPointSymbols(layer('industrial_clusters'), collection(feature('a', { area_ha: 70 })))).toBe(false);
  });
});
