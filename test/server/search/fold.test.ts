import { describe, expect, it } from 'vitest';
import { editDistance, fold } from '../../../server/search/fold.ts';

describe('fold', () => {
  it.each([
    ['Na Dương', 'na duong'],
    ['NA DƯƠNG', 'na duong'],
    ['Na Duong', 'na duong'],
    ['Hữu Nghị', 'huu nghi'],
    ['ĐỒNG ĐĂNG', 'dong dang'],
    ['Đình Lập', 'dinh lap'],
    ['Thuỵ Hùng', 'thuy hung'],
    ['Cửa khẩu quốc tế Hữu Nghị – mốc 1119/1120', 'cua khau quoc te huu nghi moc 1119 1120'],
    ['Khu cong nghiep VSIP', 'khu cong nghiep vsip'],
    ['  Hợp   Thành 2 ', 'hop thanh 2'],
  ])('%j → %j', (input, folded) => {
    expect(fold(input)).toBe(folded);
  });

  it('folds decomposed text (marks typed separately) like precomposed text', () => {
    expect(fold('Hu\u031b\u0303u Nghi\u0323')).toBe('huu nghi');
  });

  it('folds every Vietnamese letter to a single ASCII letter', () => {
    const vowels = 'aăâeêioôơuưy';
    for (const base of vowels) {
      for (const tone of ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323']) {
        const letter = (base + tone).normalize('NFC');
        expect(fold(letter), letter).toMatch(/^[aeiouy]$/);
        expect(fold(letter.toUpperCase()), letter).toMatch(/^[aeiouy]$/);
      }
    }
  });
});

describe('edit distance', () => {
  it.each([
    ['nghi', 'nghi', 0],
    ['ngih', 'nghi', 2],
    ['huuu', 'huu', 1],
    ['kitten', 'sitting', 3],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b, 5)).toBe(d);
  });

  it('gives up beyond the maximum', () => {
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });
});
