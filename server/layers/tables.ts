// What each feature table holds, field by field: type, title, and who may see it.
// Layers (registry.ts) are views over these tables; writes validate against them.
import type { Title, VocabularyName } from './vocabulary.ts';

export type FieldType = 'text' | 'number' | 'integer' | 'date' | 'datetime' | 'text[]' | 'json';
export type Visibility = 'public' | 'internal';

export type Field = {
  name: string;
  type: FieldType;
  title: Title;
  /** 'internal' fields never appear in a public response. */
  visibility: Visibility;
  unit?: 'ha' | 'km' | '%' | 'bn VND' | 'm²';
  vocabulary?: VocabularyName;
  /** Computed by the database; never written. */
  generated?: boolean;
  /** Must have a value (NOT NULL, or a non-empty list): checked before every write. */
  required?: boolean;
};

export type GeometryType = 'Point' | 'MultiLineString' | 'MultiPolygon' | 'Geometry';

export type TableSpec = {
  name: TableName;
  geometryType: GeometryType;
  fields: readonly Field[];
  /** Thematic tables carry version, history and per-feature hidden fields. */
  thematic: boolean;
  /** A jsonb column whose keys are merged into the properties (base layers). */
  extraPropertiesColumn?: string;
};

export type TableName =
  | 'zones'
  | 'border_gates'
  | 'border_markers'
  | 'projects'
  | 'planning_areas'
  | 'communes'
  | 'base_features'
  | 'parcels';

const field = (
  name: string,
  type: FieldType,
  vi: string,
  en: string,
  extra: Partial<Omit<Field, 'name' | 'type' | 'title'>> = {},
): Field => ({ name, type, title: { vi, en }, visibility: 'public', ...extra });

const names = [
  field('name_vi', 'text', 'Tên', 'Name (Vietnamese)', { required: true }),
  field('name_en', 'text', 'Tên tiếng Anh', 'Name', { required: true }),
];

const provenance = [
  field('sources', 'text[]', 'Nguồn', 'Sources', { required: true }),
  field('source_date', 'date', 'Ngày của nguồn', 'Source date', { required: true }),
  field('accuracy', 'text', 'Độ chính xác vị trí', 'Location accuracy', { vocabulary: 'accuracy', required: true }),
];

// Columns of feature_template (migration 001), common to every thematic table.
const thematicCommon = [
  ...names,
  field('aliases', 'text[]', 'Tên khác', 'Other names'),
  field('status', 'text', 'Hiện trạng', 'Status', { vocabulary: 'status', required: true }),
  field('status_date', 'date', 'Ngày cập nhật hiện trạng', 'Status as of'),
  field('communes', 'text[]', 'Xã, phường', 'Communes'),
  field('former_location', 'text', 'Địa danh trước 7/2025', 'Location before July 2025'),
  field('legal_basis', 'json', 'Căn cứ pháp lý', 'Legal basis'),
  field('notes', 'text', 'Ghi chú', 'Notes'),
  field('internal_notes', 'text', 'Ghi chú nội bộ', 'Internal notes', { visibility: 'internal' }),
  ...provenance,
  field('geometry_note', 'text', 'Cách xác định vị trí', 'How the geometry was placed'),
  field('version', 'integer', 'Phiên bản', 'Version', { generated: true }),
  field('updated_at', 'datetime', 'Cập nhật lúc', 'Updated at', { generated: true }),
];

export const tables: Record<TableName, TableSpec> = {
  zones: {
    name: 'zones',
    geometryType: 'MultiPolygon',
    thematic: true,
    fields: [
      field('kind', 'text', 'Loại', 'Kind', { vocabulary: 'zone_kind', required: true }),
      ...thematicCommon,
      field('area_ha', 'number', 'Diện tích quy hoạch', 'Planned (legal) area', { unit: 'ha' }),
      field('leasable_ha', 'number', 'Diện tích đất cho thuê', 'Leasable land', { unit: 'ha' }),
      field('occupied_ha', 'number', 'Diện tích đã cho thuê', 'Occupied land', { unit: 'ha' }),
      field('occupancy_pct', 'number', 'Tỷ lệ lấp đầy', 'Occupancy', { unit: '%', generated: true }),
      field('vacant_ha', 'number', 'Đất còn trống', 'Vacant land', { unit: 'ha', generated: true }),
      field('developer', 'text', 'Chủ đầu tư hạ tầng', 'Infrastructure developer'),
      field('difficulties', 'text', 'Khó khăn, vướng mắc', 'Difficulties'),
      field('proposals', 'text', 'Đề xuất, kiến nghị', 'Proposals'),
    ],
  },
  border_gates: {
    name: 'border_gates',
    geometryType: 'Point',
    thematic: true,
    fields: [
      ...thematicCommon,
      field('gate_type', 'text', 'Loại cửa khẩu', 'Gate type', { vocabulary: 'gate_type', required: true }),
      field('transport_mode', 'text', 'Loại hình', 'Transport mode', { vocabulary: 'transport_mode', required: true }),
      field('partner_gate', 'text', 'Cửa khẩu đối diện (Trung Quốc)', 'Partner gate (China)'),
      field('border_markers', 'text', 'Mốc biên giới', 'Border markers'),
    ],
  },
  border_markers: {
    name: 'border_markers',
    geometryType: 'Point',
    thematic: true,
    fields: [field('number', 'text', 'Số hiệu mốc', 'Marker number', { required: true }), ...thematicCommon],
  },
  projects: {
    name: 'projects',
    geometryType: 'Geometry',
    thematic: true,
    fields: [
      field('kind', 'text', 'Loại dự án', 'Project kind', { vocabulary: 'project_kind', required: true }),
      field('route', 'text', 'Tuyến', 'Route'),
      ...thematicCommon,
      field('length_km', 'number', 'Chiều dài', 'Length', { unit: 'km' }),
      field('investor', 'text', 'Nhà đầu tư', 'Investor'),
      field('total_investment_bn_vnd', 'number', 'Tổng mức đầu tư', 'Total investment', { unit: 'bn VND' }),
      field('start_date', 'date', 'Ngày khởi công', 'Start date'),
      field('completion_target', 'text', 'Mục tiêu hoàn thành', 'Completion target'),
    ],
  },
  planning_areas: {
    name: 'planning_areas',
    geometryType: 'MultiPolygon',
    thematic: true,
    fields: [
      field('plan_level', 'text', 'Cấp quy hoạch', 'Plan level', { vocabulary: 'plan_level', required: true }),
      ...thematicCommon,
      field('horizon_year', 'integer', 'Tầm nhìn đến năm', 'Horizon year'),
      field('area_ha', 'number', 'Diện tích', 'Area', { unit: 'ha' }),
    ],
  },
  communes: {
    name: 'communes',
    geometryType: 'MultiPolygon',
    thematic: false,
    fields: [
      ...names,
      field('full_name_vi', 'text', 'Tên đầy đủ', 'Full name (Vietnamese)'),
      field('full_name_en', 'text', 'Tên đầy đủ tiếng Anh', 'Full name'),
      field('unit_type', 'text', 'Loại đơn vị', 'Unit type', { vocabulary: 'unit_type' }),
      field('area_km2', 'number', 'Diện tích (km²)', 'Area (km²)'),
      ...provenance,
    ],
  },
  parcels: {
    name: 'parcels',
    geometryType: 'MultiPolygon',
    thematic: false,
    fields: [
      field('map_sheet', 'integer', 'Số tờ bản đồ', 'Map sheet'),
      field('parcel_no', 'integer', 'Số thửa', 'Parcel number'),
      field('land_use', 'text', 'Loại đất', 'Land use code'),
      field('area_m2', 'number', 'Diện tích', 'Area', { unit: 'm²', generated: true }),
      field('registered_on', 'date', 'Ngày đăng ký', 'Registered on'),
      field('holder', 'text', 'Người sử dụng đất', 'Land user', { visibility: 'internal' }),
      ...provenance,
    ],
  },
  base_features: {
    name: 'base_features',
    geometryType: 'Geometry',
    thematic: false,
    extraPropertiesColumn: 'properties',
    fields: [...names, ...provenance],
  },
};

export const publicFields = (table: TableSpec): Field[] => table.fields.filter((f) => f.visibility === 'public');

export const fieldsFor = (table: TableSpec, audience: Audience): Field[] =>
  audience === 'internal' ? [...table.fields] : publicFields(table);

/** Who a response is for: the public, or signed-in staff who may see internal fields. */
export type Audience = 'public' | 'internal';
