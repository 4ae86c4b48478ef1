// Excel workbooks (read only): the first sheet as a table, one feature per row below the
// header row — the first row whose first cell is `id` (the collection templates of
// reports/template.ts have it, hidden, beneath their titles in two languages). Rows carry
// no geometry: a spreadsheet changes the figures of features that exist.
import type { Cell, CellValue } from 'exceljs';
import { fileError, MAX_IMPORT_FEATURES, tooManyFeatures, type FileFormat, type ImportedFeature, type ReadResult } from './format.ts';
import { openZip } from './zip.ts';

/** Rows looked through for the header before the file is called headerless. */
const HEADER_SEARCH_ROWS = 50;

export const xlsx: FileFormat = {
  id: 'xlsx',
  title: { vi: 'Excel (XLSX)', en: 'Excel (XLSX)' },
  extensions: ['.xlsx'],
  contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  read: readXlsx,
};

async function readXlsx(bytes: Uint8Array): Promise<ReadResult> {
  // A workbook is a zip: inflated within the same budget as any archive before ExcelJS,
  // which has none, expands it.
  const zip = openZip(bytes);
  zip.read(zip.names);
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw fileError('bad_xlsx', `Không đọc được tệp Excel: ${(error as Error).message}`, `The Excel workbook cannot be read: ${(error as Error).message}`);
  }
  const sheet = book.worksheets[0];
  let headerRow = 0;
  for (let r = 1; sheet && r <= Math.min(sheet.rowCount, HEADER_SEARCH_ROWS) && !headerRow; r++) if (cellText(sheet.getRow(r).getCell(1)) === 'id') headerRow = r;
  if (!sheet || !headerRow) {
    throw fileError(
      'no_header_row',
      'Trang tính đầu tiên không có dòng tiêu đề (một dòng có ô đầu là “id”, như trong phiếu thu thập tải từ bản đồ).',
      'The first sheet has no header row (a row whose first cell is “id”, as in the collection forms downloaded from the map).',
    );
  }
  const header = sheet.getRow(headerRow);
  const keys: { column: number; key: string }[] = [];
  header.eachCell((cell, column) => {
    const key = cellText(cell);
    if (key) keys.push({ column, key });
  });
  const features: ImportedFeature[] = [];
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const properties: Record<string, unknown> = {};
    let filled = false;
    for (const { column, key } of keys) {
      const value = plain(row.getCell(column).value);
      properties[key] = value;
      if (value !== null) filled = true;
    }
    if (!filled) continue;
    if (features.length === MAX_IMPORT_FEATURES) throw tooManyFeatures();
    const id = properties.id === null || properties.id === undefined ? undefined : String(properties.id);
    delete properties.id;
    features.push({ ref: `row ${r}`, ...(id ? { id } : {}), properties, geometry: null });
  }
  return { features, textValues: true, warnings: [], attributesOnly: true };
}

const cellText = (cell: Cell) => {
  const value = plain(cell.value);
  return value === null ? '' : String(value).trim();
};

/** A cell's value as the import reads it: text, a number, a date as YYYY-MM-DD, or null. */
function plain(value: CellValue): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((t) => t.text).join('') || null;
  if ('result' in value) return plain((value.result ?? null) as CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return null;
}
