// The classified inventory of every industrial park and cluster (seed 001), built
// from the zones table through the same visibility rules as the map: a public report
// never contains an internal field.
import type { Database } from '../db/adapter.ts';
import { propertiesSql } from '../layers/queries.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fieldsFor, type Audience } from '../layers/tables.ts';
import type { Status } from '../layers/vocabulary.ts';
import { classify, groups, stages, type Group, type Stage } from './classify.ts';
import { STALE_AFTER_DAYS, type CollectedField } from './collection.ts';
import { buildCompleteness, type FigureCompleteness } from './completeness.ts';
import { totals, type Totals } from './totals.ts';

export type InventoryRow = {
  id: string;
  layer: string;
  group: Group;
  stage: Stage;
  properties: Record<string, unknown>;
  area_ha: number | null;
  leasable_ha: number | null;
  occupied_ha: number | null;
  vacant_ha: number | null;
  /** Each collected figure: given, missing, stale or not public, and when it was recorded. */
  figures: Record<CollectedField, FigureCompleteness>;
};

export type Inventory = {
  title: { vi: string; en: string };
  rule: { vi: string; en: string };
  generated_at: string;
  /** The latest change to any zone: the data are as of this moment. */
  data_as_of: string | null;
  audience: Audience;
  groups: { id: Group; title: { vi: string; en: string }; totals: Totals; rows: InventoryRow[] }[];
  /** Established zones (groups A and B). */
  province: Totals;
  stages: typeof stages;
  /** Titles of the collected figures, for the completeness columns. */
  figureTitles: Record<CollectedField, { vi: string; en: string }>;
};

export const INVENTORY_TITLE = {
  vi: 'Thống kê, phân loại các khu, cụm công nghiệp trên địa bàn tỉnh Lạng Sơn',
  en: 'Inventory and classification of industrial parks and clusters in Lạng Sơn province',
};

export const INVENTORY_RULE = {
  vi:
    'Phân loại theo hiện trạng: “Đang hoạt động” (đã hoàn thành hạ tầng kỹ thuật) → Nhóm A, chia “đã lấp đầy” (tỷ lệ lấp đầy ≥ 100 %) hoặc ' +
    '“đang thu hút nhà đầu tư thứ cấp”; “Đã phê duyệt”, “Giải phóng mặt bằng”, “Đang xây dựng”, “Tạm dừng” → Nhóm B; ' +
    '“Trong quy hoạch”, “Đề xuất” → chưa thành lập, thống kê riêng. Tổng cộng chỉ cộng các số liệu đã biết (ghi rõ số khu có số liệu); ' +
    'không có dữ liệu không được tính là 0.',
  en:
    'By status: “Operating” (infrastructure complete) → Group A, split into “filled” (occupancy ≥ 100 %) or “attracting secondary investors”; ' +
    '“Approved”, “Site clearance”, “Under construction”, “Suspended” → Group B; “Planned”, “Proposed” → not yet established, listed apart. ' +
    'Totals add known figures only (stating how many zones have them); no data is never counted as 0.',
};

const num = (v: unknown) => (typeof v === 'number' ? v : null);

export async function buildInventory(db: Database, zoneLayers: readonly LayerSpec[], audience: Audience): Promise<Inventory> {
  const table = zoneLayers[0]!.table;
  const props = propertiesSql(zoneLayers[0]!, fieldsFor(table, audience), audience);
  const kinds = zoneLayers.flatMap((l) => l.where?.values ?? []);
  const rows = await db.query<{ id: string; kind: string; properties: Record<string, unknown> }>(
    `SELECT t.id, t.kind, ${props} AS properties FROM zones t WHERE t.kind = ANY($1::text[]) ORDER BY t.kind DESC, t.name_vi`,
    [kinds],
  );
  const completeness = await buildCompleteness(db, zoneLayers, audience, STALE_AFTER_DAYS);
  const figures = new Map(completeness.zones.map((z) => [z.id, z.fields]));
  const [latest] = await db.query<{ at: string | null }>(
    `SELECT to_char(max(updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at FROM zones WHERE kind = ANY($1::text[])`,
    [kinds],
  );
  const inventoryRows: InventoryRow[] = rows.map((r) => {
    const p = r.properties;
    const { group, stage } = classify(p.status as Status, num(p.occupancy_pct));
    return {
      id: r.id,
      layer: zoneLayers.find((l) => l.where?.values.includes(r.kind))!.id,
      group,
      stage,
      properties: p,
      area_ha: num(p.area_ha),
      leasable_ha: num(p.leasable_ha),
      occupied_ha: num(p.occupied_ha),
      vacant_ha: num(p.vacant_ha),
      figures: figures.get(r.id)!,
    };
  });
  const byGroup = groups.map((g) => {
    const members = inventoryRows.filter((r) => r.group === g.id);
    return { id: g.id, title: g.title, totals: totals(members), rows: members };
  });
  return {
    title: INVENTORY_TITLE,
    rule: INVENTORY_RULE,
    generated_at: new Date().toISOString(),
    data_as_of: latest?.at ?? null,
    audience,
    groups: byGroup,
    province: totals(inventoryRows.filter((r) => r.group !== 'c')),
    stages,
    figureTitles: Object.fromEntries(completeness.fields.map((f) => [f.name, f.title])) as Inventory['figureTitles'],
  };
}
