// The inventory's columns, defined once for every format (CSV, XLSX, HTML).
import { zoneKinds, statuses, accuracyClasses } from '../layers/vocabulary.ts';
import type { CollectedField } from './collection.ts';
import type { FigureCompleteness } from './completeness.ts';
import type { InventoryRow, Inventory } from './inventory.ts';

export type Lang = 'vi' | 'en';
type Cell = string | number | null;

export type Column = {
  key: string;
  title: { vi: string; en: string };
  /** Numbers stay numbers (null when unknown) so spreadsheets can add them. */
  numeric?: boolean;
  value(row: InventoryRow, lang: Lang, inventory: Inventory): Cell;
};

const term = (list: readonly { id: string; title: { vi: string; en: string } }[], id: unknown, lang: Lang) =>
  list.find((t) => t.id === id)?.title[lang] ?? (id === undefined || id === null ? null : String(id));
const text = (v: unknown): Cell => (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length) ? null : Array.isArray(v) ? v.join(', ') : String(v));
const number = (v: unknown): Cell => (typeof v === 'number' ? v : null);
type Legal = { number: string; date: string | null; title: string };

export const columns: Column[] = [
  { key: 'group', title: { vi: 'Nhóm', en: 'Group' }, value: (r) => r.group.toUpperCase() },
  { key: 'stage', title: { vi: 'Phân loại', en: 'Class' }, value: (r, lang, inv) => inv.stages[r.stage][lang] },
  { key: 'name', title: { vi: 'Tên', en: 'Name' }, value: (r, lang) => text(lang === 'en' ? (r.properties.name_en ?? r.properties.name_vi) : r.properties.name_vi) },
  { key: 'kind', title: { vi: 'Loại', en: 'Kind' }, value: (r, lang) => term(zoneKinds, r.properties.kind, lang) },
  { key: 'communes', title: { vi: 'Xã, phường', en: 'Communes' }, value: (r) => text(r.properties.communes) },
  { key: 'status', title: { vi: 'Hiện trạng', en: 'Status' }, value: (r, lang) => term(statuses, r.properties.status, lang) },
  { key: 'status_date', title: { vi: 'Ngày cập nhật hiện trạng', en: 'Status as of' }, value: (r) => text(r.properties.status_date) },
  { key: 'area_ha', title: { vi: 'Diện tích quy hoạch (ha)', en: 'Planned area (ha)' }, numeric: true, value: (r) => number(r.area_ha) },
  { key: 'leasable_ha', title: { vi: 'Đất công nghiệp cho thuê (ha)', en: 'Leasable land (ha)' }, numeric: true, value: (r) => number(r.leasable_ha) },
  { key: 'occupied_ha', title: { vi: 'Đã cho thuê (ha)', en: 'Leased (ha)' }, numeric: true, value: (r) => number(r.occupied_ha) },
  { key: 'vacant_ha', title: { vi: 'Còn trống (ha)', en: 'Vacant (ha)' }, numeric: true, value: (r) => number(r.vacant_ha) },
  { key: 'occupancy_pct', title: { vi: 'Tỷ lệ lấp đầy (%)', en: 'Occupancy (%)' }, numeric: true, value: (r) => number(r.properties.occupancy_pct) },
  { key: 'developer', title: { vi: 'Chủ đầu tư hạ tầng', en: 'Infrastructure developer' }, value: (r) => text(r.properties.developer) },
  {
    key: 'legal_basis',
    title: { vi: 'Căn cứ pháp lý', en: 'Legal basis' },
    value: (r) => text(((r.properties.legal_basis as Legal[] | undefined) ?? []).map((l) => `${l.number}${l.date ? ` (${l.date})` : ''}`).join('; ')),
  },
  { key: 'notes', title: { vi: 'Kết quả, ghi chú', en: 'Results, notes' }, value: (r) => text(r.properties.notes) },
  { key: 'difficulties', title: { vi: 'Khó khăn, vướng mắc', en: 'Difficulties' }, value: (r) => text(r.properties.difficulties) },
  { key: 'proposals', title: { vi: 'Đề xuất, kiến nghị', en: 'Proposals' }, value: (r) => text(r.properties.proposals) },
  {
    key: 'figures_given',
    title: { vi: 'Số liệu đã có', en: 'Figures given' },
    value: (r) => {
      const told = Object.values(r.figures).filter((f) => f.state !== 'not_public');
      return `${told.filter((f) => f.state !== 'missing').length}/${told.length}`;
    },
  },
  {
    key: 'figures_missing',
    title: { vi: 'Số liệu còn thiếu', en: 'Missing figures' },
    value: (r, lang, inv) => text(figureNames(r, inv, lang, (f) => f.state === 'missing')),
  },
  {
    key: 'figures_recorded',
    title: { vi: 'Ngày ghi từng số liệu', en: 'Each figure recorded on' },
    value: (r, lang, inv) => text(figureNames(r, inv, lang, (f) => f.recorded !== null, (f) => ` ${f.recorded}${f.state === 'stale' ? ` (${stale[lang]})` : ''}`)),
  },
  { key: 'sources', title: { vi: 'Nguồn', en: 'Sources' }, value: (r) => text(r.properties.sources) },
  { key: 'source_date', title: { vi: 'Ngày của nguồn', en: 'Source date' }, value: (r) => text(r.properties.source_date) },
  { key: 'accuracy', title: { vi: 'Độ chính xác vị trí', en: 'Location accuracy' }, value: (r, lang) => term(accuracyClasses, r.properties.accuracy, lang) },
];

const stale = { vi: 'cũ', en: 'stale' };

/** The titles of a row's figures that pass `pick`, each with what `suffix` adds. */
function figureNames(r: InventoryRow, inv: Inventory, lang: Lang, pick: (f: FigureCompleteness) => boolean, suffix: (f: FigureCompleteness) => string = () => ''): string[] {
  return (Object.entries(r.figures) as [CollectedField, FigureCompleteness][]).filter(([, f]) => pick(f)).map(([name, f]) => `${inv.figureTitles[name][lang]}${suffix(f)}`);
}

/** Columns whose field exists in the report (a public report has no hidden ones). */
export function columnsFor(inventory: Inventory): Column[] {
  const rows = inventory.groups.flatMap((g) => g.rows);
  const hideable = ['difficulties', 'proposals'];
  return columns.filter((c) => !hideable.includes(c.key) || rows.some((r) => c.key in r.properties));
}

export const noData = { vi: 'không có dữ liệu', en: 'no data' };
