import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../client/src/compare/compare.ts';

describe('comparison CSV', () => {
  it('is RFC 4180 with a BOM and CRLF, quoting what needs it', () => {
    const csv = toCsv(['', 'Na Dương 1', 'Hồ Sơn 1'], [
      { label: 'Diện tích', values: ['không có dữ liệu', '73,76 ha'] },
      { label: 'Ghi chú', values: ['a "quoted" word', 'line\nbreak'] },
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe(
      '\uFEFF,Na Dương 1,Hồ Sơn 1\r\nDiện tích,không có dữ liệu,"73,76 ha"\r\nGhi chú,"a ""quoted"" word","line\nbreak"\r\n',
    );
  });
});
