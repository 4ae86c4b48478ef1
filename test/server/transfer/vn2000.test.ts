import { describe, expect, it } from 'vitest';
import { CoordinateListError, parseCoordinateList } from '../../../server/transfer/vn2000.ts';

describe('VN-2000 coordinate lists', () => {
  it('reads comma, space, tab and semicolon lists, with decimal commas where unambiguous', () => {
    const expected = [
      { no: '1', x: 2417000.5, y: 560000.25 },
      { no: '2', x: 2417100, y: 560000 },
      { no: '3', x: 2417100, y: 560100 },
    ];
    expect(parseCoordinateList('1, 2417000.5, 560000.25\n2, 2417100, 560000\n3, 2417100, 560100')).toEqual(expected);
    expect(parseCoordinateList('1 2417000.5 560000.25\n2 2417100 560000\n3 2417100 560100\n1 2417000.5 560000.25')).toEqual(expected);
    expect(parseCoordinateList('Điểm;X;Y\n1;2417000,5;560000,25\n2;2417100;560000\n3;2417100;560100')).toEqual(expected);
    expect(parseCoordinateList('1\t2417000,5\t560000,25\n2\t2417100\t560000\n3\t2417100\t560100\n')).toEqual(expected);
  });

  it('keeps point numbers with letters and spaces', () => {
    expect(parseCoordinateList('M 1, 2417000, 560000\nM 2, 2417100, 560000\nM 3, 2417100, 560100').map((p) => p.no)).toEqual(['M 1', 'M 2', 'M 3']);
  });

  it('explains lists it cannot read', () => {
    expect(() => parseCoordinateList('1, 560000, 2417000\n2, 560100, 2417000\n3, 560100, 2417100')).toThrow(CoordinateListError);
    expect(() => parseCoordinateList('x')).toThrow(/at least 3/);
  });
});
