// The inventory as CSV, XLSX and a printable HTML page.
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
  // Loaded when first asked for: ExcelJS costs ~25 MB and most of a second at start.
  const { default: ExcelJS } = await import('exceljs');
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

// On paper, a zone is a row of key figures and, beneath it, a full-width line of the
// texts (legal basis, results, difficulties, proposals) — 20 narrow columns are unreadable.
const TEXT_KEYS = ['legal_basis', 'notes', 'difficulties', 'proposals', 'figures_missing', 'figures_recorded'];
const MERGED_INTO_NAME = ['kind', 'communes', 'stage', 'figures_given'];
const LABELLED = ['figures_given'];
const MERGED_INTO_STATUS = ['status_date'];
const MERGED_INTO_SOURCE = ['source_date', 'accuracy'];

export function inventoryHtml(inv: Inventory, lang: Lang): string {
  const all = columnsFor(inv);
  const hidden = new Set([...TEXT_KEYS, ...MERGED_INTO_NAME, ...MERGED_INTO_STATUS, ...MERGED_INTO_SOURCE]);
  const cols = all.filter((c) => !hidden.has(c.key));
  const texts = all.filter((c) => TEXT_KEYS.includes(c.key));
  const byKey = new Map(all.map((c) => [c.key, c]));
  const fmt = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 });
  const show = (v: string | number | null, numeric?: boolean) =>
    v === null ? `<span class="nodata">${noData[lang]}</span>` : escape(numeric && typeof v === 'number' ? fmt.format(v) : String(v));
  const small = (key: string, r: Inventory['groups'][number]['rows'][number]) => {
    const column = byKey.get(key);
    const v = column?.value(r, lang, inv);
    if (v === null || v === undefined) return '';
    // A count needs its title to be read; names and dates speak for themselves.
    return `<div class="sub">${LABELLED.includes(key) ? `${escape(column!.title[lang])}: ` : ''}${escape(String(v))}</div>`;
  };
  const cell = (c: (typeof cols)[number], r: Inventory['groups'][number]['rows'][number]) => {
    const main = show(c.value(r, lang, inv), c.numeric);
    const extra =
      c.key === 'name' ? MERGED_INTO_NAME.map((k) => small(k, r)).join('') : c.key === 'status' ? MERGED_INTO_STATUS.map((k) => small(k, r)).join('') : c.key === 'sources' ? MERGED_INTO_SOURCE.map((k) => small(k, r)).join('') : '';
    return `<td class="col-${c.key}${c.numeric ? ' num' : ''}">${main}${extra}</td>`;
  };
  const textRow = (r: Inventory['groups'][number]['rows'][number]) => {
    const parts = texts
      .map((c) => {
        const v = c.value(r, lang, inv);
        return v === null ? '' : `<p><strong>${escape(c.title[lang])}:</strong> ${escape(String(v))}</p>`;
      })
      .filter(Boolean);
    return parts.length ? `<tr class="texts"><td></td><td colspan="${cols.length - 1}">${parts.join('')}</td></tr>` : '';
  };
  const totalRow = (label: string, t: Totals, extraClass = '') => {
    const values = totalCells(t, lang);
    return `<tr class="total ${extraClass}">${cols
      .map((c) => {
        // The label spans the narrow group column and the name column.
        if (c.key === 'group') return `<td colspan="2">${escape(label)} · ${escape(String(values.name))}</td>`;
        if (c.key === 'name') return '';
        const v = values[c.key];
        return `<td${c.numeric ? ' class="num"' : ''}>${v === undefined ? '' : show(v ?? null, c.numeric)}</td>`;
      })
      .join('')}</tr>`;
  };
  const head = `<tr>${cols.map((c) => `<th class="col-${c.key}">${escape(c.title[lang])}</th>`).join('')}</tr>`;
  const body = inv.groups
    .map(
      (g) =>
        `<tbody><tr class="group"><th colspan="${cols.length}">${escape(g.title[lang])}</th></tr>` +
        g.rows.map((r) => `<tr class="zone">${cols.map((c) => cell(c, r)).join('')}</tr>${textRow(r)}`).join('') +
        totalRow(`${g.id.toUpperCase()} – ${labels.total[lang]}`, g.totals) +
        `</tbody>`,
    )
    .join('');
  const province = `<tbody>${totalRow(labels.province[lang], inv.province, 'province')}</tbody>`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${escape(inv.title[lang])}</title>
<style>${INVENTORY_STYLE}</style></head><body>
<h1>${escape(inv.title[lang])}</h1>
<p class="meta">${labels.asOf[lang]}: ${escape(inv.data_as_of ?? '—')} · ${labels.generated[lang]}: ${escape(inv.generated_at)}${inv.audience === 'public' ? ` · ${labels.publicVersion[lang]}` : ''}</p>
<table><thead>${head}</thead>${body}${province}</table>
<p class="notes"><strong>${labels.rule[lang]}:</strong> ${escape(inv.rule[lang])}</p>
<p class="notes">${labels.accuracyNote[lang]}</p>
</body></html>`;
}

/** The printable inventory's stylesheet, inline so the page stands alone (allowed by its hash in the CSP). */
export const INVENTORY_STYLE = `
@page { size: A4 landscape; margin: 10mm; }
body { font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 8.5pt; color: #111; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 4px; }
.meta { color: #444; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #888; padding: 2px 4px; vertical-align: top; text-align: left; }
thead th { background: #eee; font-size: 8pt; }
.group th { background: #dde8f3; font-size: 9.5pt; }
.zone td { border-bottom: 0; }
.texts td { border-top: 0; font-size: 7.8pt; color: #222; }
.texts p { margin: 0 0 1px; }
.sub { color: #555; font-size: 7.5pt; }
.total td { font-weight: bold; background: #f3f3f3; }
.province td { background: #e4e4e4; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nodata { color: #666; font-style: italic; font-weight: normal; }
.notes { margin-top: 8px; color: #333; }
table { table-layout: fixed; }
.col-group { width: 4%; }
.col-name { width: 20%; }
.col-status { width: 9%; }
.col-developer { width: 17%; }
.col-sources { width: 13%; }
.num .nodata { white-space: normal; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
`;
