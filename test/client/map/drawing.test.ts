import { describe, expect, it } from 'vitest';
import { combineParts, partsOf } from '../../../client/src/map/drawing.ts';

const ring = (x: number) => [[x, 0], [x + 1, 0], [x + 1, 1], [x, 0]];

describe('drawing parts', () => {
  it('splits a multi-part feature into the parts terra-draw edits, and puts them back', () => {
    const multi: GeoJSON.MultiPolygon = { type: 'MultiPolygon', coordinates: [[ring(0)], [ring(5)]] };
    const parts = partsOf(multi);
    expect(parts).toEqual([{ type: 'Polygon', coordinates: [ring(0)] }, { type: 'Polygon', coordinates: [ring(5)] }]);
    expect(combineParts(parts, 'Polygon')).toEqual(multi);
  });

  it('keeps one part single, and ignores parts of another kind', () => {
    const line: GeoJSON.LineString = { type: 'LineString', coordinates: [[0, 0], [1, 1]] };
    expect(combineParts([line, { type: 'Point', coordinates: [0, 0] }], 'LineString')).toEqual(line);
    expect(combineParts([], 'Point')).toBeNull();
  });
});
