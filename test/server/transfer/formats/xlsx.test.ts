// Reading workbooks: the header row of field keys, values as the import reads them, and
// the same budgets as every upload.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ImportFileError, MAX_IMPORT_FEATURES } from '../../../../server/transfer/formats/format.ts';
import { xlsx } from '../../../../server/transfer/formats/xlsx.ts';
import { zipBomb } from '../../../../scripts/reliability/hostile-uploads.ts';

async function workbook(rows: unknown[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await book.xlsx.writeBuffer());
}
const read = (bytes: Uint8Array) => Promise.resolve(xlsx.read!(bytes));
const refusal = (bytes: Uint8Array) => read(bytes).then(() => new Error('expected a refusal'), (e: unknown) => e as ImportFileError);

describe('reading a workbook', () => {
  it('takes the first row starting with "id" as the header, below any titles, and a row per feature', async () => {
    const bytes = await workbook([
      ['Phiếu thu thập'],
      ['id', '#name', 'area_ha', 'status_date', 'notes'],
      ['ccn-a', 'Cụm A', 12.5, new Date('2025-12-10T00:00:00Z'), { richText: [{ text: 'Đã ' }, { text: 'xong' }] }],
      [],
      ['ccn-b', 'Cụm B', null, null, { formula: '1+1', result: 2 }],
    ]);
    const result = await read(bytes);
    expect(result.attributesOnly).toBe(true);
    expect(result.features).toEqual([
      { ref: 'row 3', id: 'ccn-a', properties: { '#name': 'Cụm A', area_ha: 12.5, status_date: '2025-12-10', notes: 'Đã xong' }, geometry: null },
      { ref: 'row 5', id: 'ccn-b', properties: { '#name': 'Cụm B', area_ha: null, status_date: null, notes: 2 }, geometry: null },
    ]);
  });

  it('refuses a sheet without a header row, a file that is no workbook, and more rows than the cap', async () => {
    expect(await refusal(await workbook([['name', 'area_ha'], ['Cụm A', 1]]))).toMatchObject({ code: 'no_header_row' });
    expect(await refusal(new Uint8Array(Buffer.from('not a zip at all')))).toMatchObject({ code: 'bad_zip' });
    const many = await workbook([['id', 'area_ha'], ...Array.from({ length: MAX_IMPORT_FEATURES + 1 }, (_, i) => [`z-${i}`, i])]);
    expect(await refusal(many)).toMatchObject({ code: 'too_many_features' });
  });

  it('refuses a workbook that inflates past the budget before any of it is parsed', async () => {
    expect(await refusal(new Uint8Array(zipBomb('xl/worksheets/sheet1.xml', 1024 * 1024 * 1024)))).toMatchObject({ code: 'too_large_uncompressed' });
  });
});
