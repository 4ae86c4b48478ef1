// The collection template: one workbook per responsible body, one row per zone it is
// asked about, with the figures as they are now, the missing ones highlighted, a drop-down
// where a value comes from a list, units in the headers, titles in Vietnamese and English,
// and the columns of the return itself (document number, date, a note). Readable and
// fillable in Excel by someone who has never seen the map; returned, it is imported like
// any file (transfer/formats/xlsx.ts reads the row of field keys, row KEY_ROW, hidden here).
import type { Database } from '../db/adapter.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { vocabularies, type Title } from '../layers/vocabulary.ts';
import { bodies, collectedFields, type Body, type BodyId } from './collection.ts';
import { zonesSql } from './queries.ts';

/** Columns a return fills besides the figures: which document, of which date, and why. */
export const RETURN_COLUMNS = {
  document: 'return_document',
  date: 'return_date',
  note: 'change_note',
} as const;

/** Keys of columns that are there for the reader only: an import leaves them out. */
export const INFORMATION_PREFIX = '#';

export const KEY_ROW = 8;
const FIRST_ZONE_ROW = KEY_ROW + 1;

const MISSING_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } } as const;
const READ_ONLY_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } } as const;
const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } } as const;

type Column = { key: string; title: Title; width: number; readOnly?: boolean; value: (p: Record<string, unknown>) => unknown; list?: readonly { id: string; title: Title }[]; kind?: 'number' | 'date' };

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

function columns(): Column[] {
  return [
    { key: 'id', title: { vi: 'Mã (không sửa)', en: 'Id (do not change)' }, width: 22, readOnly: true, value: (p) => p.id },
    { key: `${INFORMATION_PREFIX}name`, title: { vi: 'Tên khu, cụm', en: 'Zone' }, width: 34, readOnly: true, value: (p) => p.name_vi },
    { key: `${INFORMATION_PREFIX}communes`, title: { vi: 'Xã, phường', en: 'Communes' }, width: 20, readOnly: true, value: (p) => ((p.communes as string[] | undefined) ?? []).join('; ') },
    ...collectedFields.map((f): Column => ({
      key: f.name,
      title: f.unit ? { vi: `${f.title.vi} (${f.unit})`, en: `${f.title.en} (${f.unit})` } : f.title,
      width: f.type === 'text' && !f.vocabulary ? 40 : 18,
      value: (p) => {
        const v = p[f.name];
        if (f.vocabulary) return vocabularies[f.vocabulary].find((t) => t.id === v)?.title.vi ?? text(v);
        if (f.type === 'date') return v ? new Date(`${String(v)}T00:00:00Z`) : null;
        return v ?? null;
      },
      list: f.vocabulary ? vocabularies[f.vocabulary] : undefined,
      kind: f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : undefined,
    })),
    { key: RETURN_COLUMNS.document, title: { vi: 'Số văn bản trả lời', en: 'Return: document number' }, width: 20, value: () => null },
    { key: RETURN_COLUMNS.date, title: { vi: 'Ngày văn bản', en: 'Return: document date' }, width: 14, value: () => null, kind: 'date' },
    { key: RETURN_COLUMNS.note, title: { vi: 'Ghi chú, giải thích thay đổi', en: 'Note: why a figure changed' }, width: 40, value: () => null },
  ];
}

export const templateFileName = (body: BodyId) => `phieu-thu-thap-${body.replace(/_/g, '-')}-${new Date().toISOString().slice(0, 10)}.xlsx`;

/** The zones of the body (in one commune, if given), as the signed-in staff see them. */
export async function collectionTemplate(db: Database, zoneLayers: readonly LayerSpec[], bodyId: BodyId, commune: string | null): Promise<Buffer> {
  const body: Body = bodies.find((b) => b.id === bodyId)!;
  const layer = zoneLayers.find((l) => l.where?.values.includes(bodyId === 'border_zone_board' ? 'industrial_park' : 'industrial_cluster'))!;
  const rows = (await db.query<{ id: string; properties: Record<string, unknown> }>(zonesSql(layer, 'internal'), [layer.where!.values])).filter(
    (r) => commune === null || ((r.properties.communes as string[] | undefined) ?? []).includes(commune),
  );
  const cols = columns();
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'Lạng Sơn industrial-zone GIS';
  book.created = new Date();
  const sheet = book.addWorksheet('Phiếu thu thập', { views: [{ state: 'frozen', xSplit: 2, ySplit: KEY_ROW }] });
  const title = (row: number, value: string, bold = false) => {
    sheet.mergeCells(row, 1, row, cols.length);
    const cell = sheet.getCell(row, 1);
    cell.value = value;
    cell.font = { bold, size: bold ? 13 : 10 };
    cell.alignment = { wrapText: true, vertical: 'top' };
  };
  title(1, `PHIẾU THU THẬP SỐ LIỆU KHU, CỤM CÔNG NGHIỆP — ${body.title.vi}${commune ? ` — ${commune}` : ''} (${layer.title.vi})`, true);
  title(2, `Collection form: industrial parks and clusters — ${body.title.en}${commune ? ` — ${commune}` : ''} (${layer.title.en})`);
  title(
    3,
    'Điền hoặc sửa số liệu trong các ô trắng; ô vàng là số liệu còn thiếu. Dòng nào có thay đổi thì ghi số và ngày của văn bản trả lời; ' +
      'lùi hiện trạng (hoặc chuyển sang “Tạm dừng”) thì ghi lý do ở cột Ghi chú. Không sửa các cột màu xám. Gửi lại tệp này để nhập vào bản đồ.',
  );
  title(
    4,
    'Fill in or correct the figures in the white cells; yellow cells are missing figures. On a row with changes, give the number and date of the ' +
      'returning document; a status moving back (or to “Suspended”) needs its reason in the Note column. Do not edit the grey columns. Send this file back to be imported.',
  );
  title(5, `Lập ngày / Generated: ${new Date().toISOString().slice(0, 10)} · ${rows.length} khu, cụm / zones`);
  sheet.getRow(3).height = 30;
  sheet.getRow(4).height = 30;
  const header = (row: number, values: string[], hidden = false) => {
    const r = sheet.getRow(row);
    values.forEach((v, i) => {
      const cell = r.getCell(i + 1);
      cell.value = v;
      cell.font = { bold: !hidden };
      cell.fill = HEADER_FILL;
      cell.alignment = { wrapText: true, vertical: 'top' };
    });
    r.hidden = hidden;
  };
  header(6, cols.map((c) => c.title.vi));
  header(7, cols.map((c) => c.title.en));
  header(KEY_ROW, cols.map((c) => c.key), true);

  rows.forEach((zone, i) => {
    const r = sheet.getRow(FIRST_ZONE_ROW + i);
    const properties = { ...zone.properties, id: zone.id };
    cols.forEach((c, j) => {
      const cell = r.getCell(j + 1);
      const value = c.value(properties);
      cell.value = value as never;
      if (c.readOnly) cell.fill = READ_ONLY_FILL;
      else {
        cell.protection = { locked: false };
        if (value === null && !(Object.values(RETURN_COLUMNS) as string[]).includes(c.key)) cell.fill = MISSING_FILL;
      }
      if (c.kind === 'date') cell.numFmt = 'yyyy-mm-dd';
      if (c.kind === 'number') cell.numFmt = '#,##0.00';
      cell.alignment = { wrapText: true, vertical: 'top' };
      if (c.list) {
        cell.dataValidation = {
          type: 'list',
          allowBlank: true,
          formulae: [`"${c.list.map((t) => t.title.vi).join(',')}"`],
          showErrorMessage: true,
          errorTitle: 'Giá trị không hợp lệ / Not a valid value',
          error: 'Chọn trong danh sách / Choose from the list',
        };
      } else if (c.kind === 'number') {
        cell.dataValidation = { type: 'decimal', operator: 'greaterThanOrEqual', allowBlank: true, formulae: [0], showErrorMessage: true, error: 'Một số ≥ 0 / A number ≥ 0' };
      } else if (c.kind === 'date') {
        cell.dataValidation = { type: 'date', operator: 'greaterThan', allowBlank: true, formulae: [new Date('1900-01-01T00:00:00Z')], showErrorMessage: true, error: 'Một ngày / A date' };
      }
    });
  });
  cols.forEach((c, i) => {
    sheet.getColumn(i + 1).width = c.width;
  });
  // Locked cells (the grey ones, the headers) cannot be changed by mistake; the sheet has
  // no password, so it can still be unprotected on purpose.
  await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
  return Buffer.from(await book.xlsx.writeBuffer());
}
