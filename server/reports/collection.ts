// What the province's inventory (seed 001) asks of each park and cluster, and who is
// asked for it. The figures public sources do not give — occupied land above all — are
// held by the zones' managers: the border-zone management board reports on the
// industrial parks, the Department of Industry and Trade on the clusters (with the
// communes where they lie). One list of figures drives the completeness report, the
// collection templates and the reading of returned ones.
import { tables, type Field } from '../layers/tables.ts';
import type { Title } from '../layers/vocabulary.ts';

/** The figures collected for every zone, in the order a template shows them. */
export const COLLECTED_FIELDS = ['status', 'status_date', 'area_ha', 'leasable_ha', 'occupied_ha', 'developer', 'difficulties', 'proposals'] as const;
export type CollectedField = (typeof COLLECTED_FIELDS)[number];

export const collectedFields: Field[] = COLLECTED_FIELDS.map((name) => {
  const field = tables.zones.fields.find((f) => f.name === name);
  if (!field || field.visibility !== 'public' || field.generated) throw new Error(`collected field ${name} must be a public, written field of zones`);
  return field;
});

export type BodyId = 'border_zone_board' | 'industry_trade';
export type Body = { id: BodyId; title: Title; short: Title };

export const bodies: readonly Body[] = [
  {
    id: 'border_zone_board',
    title: { vi: 'Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn', en: 'Management Board of the Đồng Đăng – Lạng Sơn Border-Gate Economic Zone' },
    short: { vi: 'Ban Quản lý KKTCK', en: 'Border-zone board' },
  },
  {
    id: 'industry_trade',
    title: { vi: 'Sở Công Thương tỉnh Lạng Sơn', en: 'Lạng Sơn Department of Industry and Trade' },
    short: { vi: 'Sở Công Thương', en: 'Dept. of Industry and Trade' },
  },
];

/** Who is asked for a zone's figures: the board for parks, the department for clusters. */
export const bodyOf = (kind: string): Body => bodies.find((b) => b.id === (kind === 'industrial_park' ? 'border_zone_board' : 'industry_trade'))!;

/** A figure's source older than this is stale and asked for again (`stale_days` overrides). */
export const STALE_AFTER_DAYS = 365;
