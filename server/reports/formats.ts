// The inventory as CSV, XLSX and a printable HTML page.
import ExcelJS from 'exceljs';
import type { Totals } from './totals.ts';
import { columnsFor, noData, type Lang } from './columns.ts';
import type { Inventory } from './inventory.ts';

const TOTAL_KEYS = ['area_ha', 'leasable_ha', 'occupied_ha', 'vacant_ha'] as const;

const labels = {
  total: { vi: 'Cộng', en: 'Total' },
  province: { vi: 'Toàn tỉnh (nhóm A và B)', en: 'Province (groups A and B)' },
  known: { vi: 'số khu có số liệu', en: 'zones with data' },
  zones: { vi: 'khu, cụm', en: 'zones' },
  generated: { vi: 'Lập lúc', en: 'Generated' },
  asOf: { vi: 'Số liệu đến', en: 'Data as of' },
  rule: { vi: 'Quy tắc phân loại', en: 'Classification rule' },
  publicVersion: { vi: 'Bản công khai: không gồm thông tin nội bộ.', en: 'Public version: internal information omitted.' },
  accuracyNote: {
    vi: 'Vị trí, ranh giới trên bản đồ phần lớn chỉ mang tính minh họa, không phải ranh giới pháp lý.',
    en: 'Most locations and outlines on the map are indicative, not legal boundaries.',
  },
};

/** A totals line: counts, sums of known values ("n known"), occupancy. */
function totalCells(t: Totals, lang: Lang): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = { name: `${t.count} ${labels.zones[lang]}` };
  for (const k of TOTAL_KEYS) out[k] = t[k].value;
  out.occupancy_pct = t.occupancy_pct.value;
  out.notes = TOTAL_KEYS.map((k) => `${k}: ${t[k].known}/${t.count}`).join('; ') + ` (${labels.known[lang]})`;
  return out;
}

export function inventoryCsv(inv: Inventory, lang: Lang): string {
  const cols = columnsFor(inv);
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines: string[] = [cols.map((c) => cell(c.title[lang])).join(',')];
  for (const g of inv.groups) {
    for (const r of g.rows) lines.push(cols.map((c) => cell(c.value(r, lang, inv))).join(','));
    const t = totalCells(g.totals, lang);
    lines.push(cols.map((c) => cell(c.key === 'group' ? `${g.id.toUpperCase()} – ${labels.total[lang]}` : (t[c.key] ?? null))).join(','));
  }
  const p = totalCells(inv.province, lang);
  lines.push(cols.map((c) => cell(c.key === 'group' ? labels.province[lang] : (p[c.key] ?? null))).join(','));
  // A BOM so spreadsheet programs read the Vietnamese correctly; unknown numbers are empty cells.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function inventoryXlsx(inv: Inventory, lang: Lang): Promise<Buffer> {
  const cols = columnsFor(inv);
  const book = new ExcelJS.Workbook();
  book.creator = 'Lạng Sơn industrial-zone GIS';
  book.created = new Date(inv.generated_at);
  const sheet = book.addWorksheet(lang === 'vi' ? 'Danh mục' : 'Inventory', { views: [{ state: 'frozen', ySplit: 4 }] });
  sheet.addRow([inv.title[lang]]).font = { bold: true, size: 14 };
  sheet.addRow([`${labels.asOf[lang]}: ${inv.data_as_of ?? '—'} · ${labels.generated[lang]}: ${inv.generated_at}`]);
  sheet.addRow([inv.audience === 'public' ? labels.publicVersion[lang] : '']);
  const header = sheet.addRow(cols.map((c) => c.title[lang]));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  for (const g of inv.groups) {
    const title = sheet.addRow([g.title[lang]]);
    title.font = { bold: true };
    title.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F1FB' } };
    for (const r of g.rows) sheet.addRow(cols.map((c) => c.value(r, lang, inv)));
    const t = totalCells(g.totals, lang);
    sheet.addRow(cols.map((c) => (c.key === 'group' ? `${g.id.toUpperCase()} – ${labels.total[lang]}` : (t[c.key] ?? null)))).font = { bold: true };
  }
  const p = totalCells(inv.province, lang);
  sheet.addRow(cols.map((c) => (c.key === 'group' ? labels.province[lang] : (p[c.key] ?? null)))).font = { bold: true };
  cols.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.numeric ? 14 : c.key === 'name' ? 34 : 22;
    if (c.numeric) column.numFmt = '#,##0.00';
  });
  const notes = book.addWorksheet(lang === 'vi' ? 'Ghi chú' : 'Notes');
  notes.addRow([labels.rule[lang]]).font = { bold: true };
  notes.addRow([inv.rule[lang]]);
  notes.addRow([labels.accuracyNote[lang]]);
  notes.getColumn(1).width = 140;
  return Buffer.from(await book.xlsx.writeBuffer());
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function inventoryHtml(inv: Inventory, lang: Lang): string {
  const cols = columnsFor(inv);
  const fmt = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 });
  const show = (v: string | number | null, numeric?: boolean) =>
    v === null ? `<span class="nodata">${noData[lang]}</span>` : escape(numeric && typeof v === 'number' ? fmt.format(v) : String(v));
  const head = `<tr>${cols.map((c) => `<th>${escape(c.title[lang])}</th>`).join('')}</tr>`;
  const body = inv.groups
    .map((g) => {
      const t = totalCells(g.totals, lang);
      const rows = g.rows.length
        ? g.rows.map((r) => `<tr>${cols.map((c) => `<td${c.numeric ? ' class="num"' : ''}>${show(c.value(r, lang, inv), c.numeric)}</td>`).join('')}</tr>`).join('')
        : '';
      const total = `<tr class="total">${cols.map((c) => `<td${c.numeric ? ' class="num"' : ''}>${c.key === 'group' ? escape(labels.total[lang]) : t[c.key] === undefined ? '' : show(t[c.key] ?? null, c.numeric)}</td>`).join('')}</tr>`;
      return `<tbody><tr class="group"><th colspan="${cols.length}">${escape(g.title[lang])}</th></tr>${rows}${total}</tbody>`;
    })
    .join('');
  const p = totalCells(inv.province, lang);
  const province = `<tbody><tr class="total province">${cols.map((c) => `<td${c.numeric ? ' class="num"' : ''}>${c.key === 'group' ? escape(labels.province[lang]) : p[c.key] === undefined ? '' : show(p[c.key] ?? null, c.numeric)}</td>`).join('')}</tr></tbody>`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${escape(inv.title[lang])}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 9pt; color: #111; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 4px; }
.meta { color: #444; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #777; padding: 2px 3px; vertical-align: top; text-align: left; }
thead th { background: #eee; }
.group th { background: #dde8f3; font-size: 10pt; }
.total td { font-weight: bold; background: #f6f6f6; }
.province td { background: #e6e6e6; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nodata { color: #666; font-style: italic; }
.notes { margin-top: 8px; color: #333; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
</style></head><body>
<h1>${escape(inv.title[lang])}</h1>
<p class="meta">${labels.asOf[lang]}: ${escape(inv.data_as_of ?? '—')} · ${labels.generated[lang]}: ${escape(inv.generated_at)}${inv.audience === 'public' ? ` · ${labels.publicVersion[lang]}` : ''}</p>
<table><thead>${head}</thead>${body}${province}</table>
<p class="notes"><strong>${labels.rule[lang]}:</strong> ${escape(inv.rule[lang])}</p>
<p class="notes">${labels.accuracyNote[lang]}</p>
</body></html>`;
}
