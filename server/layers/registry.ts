// The one list of layers. The GeoJSON API, OGC collections, tiles and the client's
// layer list and legend all read it: adding a layer = an entry here (+ table + data).
// Entries are in drawing order, bottom first.
import { tables, type TableSpec } from './tables.ts';
import type { Title, VocabularyName } from './vocabulary.ts';

export type LayerGroup = 'base' | 'thematic';

/** Display hints for the client; the client turns them into MapLibre layers. */
export type LayerStyle = {
  paint: 'fill' | 'line' | 'circle' | 'icon' | 'label';
  /** Colour from a vocabulary's palette (e.g. status), else the fixed colour. */
  colorBy?: Extract<VocabularyName, 'status'>;
  color?: string;
  opacity?: number;
  width?: number;
  /** Outlines/lines drawn dashed when the feature's accuracy is 'indicative'. */
  dashIndicative?: boolean;
  hatch?: boolean;
  /** One icon per value of this field. */
  iconBy?: 'gate_type';
  /** Property holding the label (the client swaps _vi for _en in English). */
  labelField?: 'name_vi' | 'number';
  labelMinZoom?: number;
  /**
   * Features whose value of this field is null are drawn as a point symbol, not as
   * their outline (a zone of unknown area has only a placeholder shape).
   */
  pointWhenNull?: 'area_ha';
  /** Below this zoom the features are drawn as dots: at province scale a zone is a few pixels. */
  pointsBelowZoom?: number;
};

export type LayerSpec = {
  id: string;
  group: LayerGroup;
  table: TableSpec;
  title: Title;
  description: Title;
  /** Constant filter selecting this layer's rows from its table. */
  where?: { column: string; values: readonly string[] };
  geometryColumn: string;
  /** Geometry type as served (GeoJSON spelling). */
  geometryType: 'Point' | 'LineString' | 'Polygon' | 'MultiLineString' | 'MultiPolygon';
  /** Douglas–Peucker tolerance in degrees applied when serving, for big base outlines. */
  simplify?: number;
  minZoom: number;
  defaultVisible: boolean;
  style: LayerStyle;
  /** Credit line shown on the map when the layer is visible. */
  attribution?: string;
  /** Whether /api/search looks in this layer (by name, English name, aliases). */
  searchable?: boolean;
  /**
   * How the client loads the layer: one GeoJSON body (default; small layers) or vector
   * tiles (large layers). Tiles and OGC items are served for every layer either way.
   */
  delivery?: 'geojson' | 'tiles';
  /** Date field the OGC `datetime` parameter filters on, for layers that have one. */
  temporalField?: string;
  /**
   * Fields carried in vector tiles besides `id` (default: every public scalar field).
   * Large layers keep tiles small and fast: what a style needs; the rest is one request away.
   */
  tileProperties?: readonly string[];
};

const ADMIN_CREDIT =
  'Ranh giới hành chính 2025: Bản đồ tham khảo ĐVHC Việt Nam (NXB TN-MT và Bản đồ VN), qua vietnamese-provinces-database © Thang Le Quoc (MIT)';
const OSM_CREDIT = '© OpenStreetMap contributors (ODbL 1.0), qua @geo-maps';
const RIVERS_CREDIT = 'Sông: GSHHG 2.3.7 / WDB II, P. Wessel & W.H.F. Smith (LGPL-3.0)';
const GEONAMES_CREDIT = 'Địa danh: GeoNames (CC BY 4.0)';
const ROADS_CREDIT = 'Quốc lộ (minh họa): tổng hợp của dự án từ nguồn công khai, điểm GeoNames (CC BY 4.0) và ranh giới xã 2025';

const base = (layer: string) => ({ column: 'layer', values: [layer] }) as const;
// Thematic facts are dated by their source: "as of" that date.
const SOURCE_DATE = 'source_date';

export const layers: readonly LayerSpec[] = [
  {
    id: 'china',
    group: 'base',
    table: tables.base_features,
    where: base('china'),
    title: { vi: 'Trung Quốc', en: 'China' },
    description: { vi: 'Lãnh thổ Trung Quốc (tô nền)', en: 'Chinese territory (shaded)' },
    geometryColumn: 'geom',
    geometryType: 'Polygon',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'fill', color: '#e3dfd5', opacity: 1, labelField: 'name_vi', labelMinZoom: 7 },
    attribution: OSM_CREDIT,
  },
  {
    id: 'vietnam',
    group: 'base',
    table: tables.base_features,
    where: base('vietnam'),
    title: { vi: 'Việt Nam', en: 'Vietnam' },
    description: { vi: 'Lãnh thổ Việt Nam (nền)', en: 'Vietnamese territory (background)' },
    geometryColumn: 'geom',
    geometryType: 'Polygon',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'fill', color: '#fbfaf7', opacity: 1 },
    attribution: OSM_CREDIT,
  },
  {
    id: 'neighbour_provinces',
    group: 'base',
    table: tables.base_features,
    where: base('neighbour_provinces'),
    title: { vi: 'Tỉnh lân cận', en: 'Neighbouring provinces' },
    description: { vi: 'Cao Bằng, Thái Nguyên, Quảng Ninh, Bắc Ninh (2025)', en: 'Cao Bằng, Thái Nguyên, Quảng Ninh, Bắc Ninh (2025)' },
    geometryColumn: 'geom',
    geometryType: 'Polygon',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'fill', color: '#f1efea', opacity: 1, labelField: 'name_vi', labelMinZoom: 7 },
    attribution: ADMIN_CREDIT,
  },
  {
    id: 'communes',
    group: 'base',
    searchable: true,
    table: tables.communes,
    title: { vi: 'Xã, phường (từ 1/7/2025)', en: 'Communes and wards (since 1 July 2025)' },
    description: {
      vi: '65 đơn vị hành chính cấp xã của tỉnh Lạng Sơn sau sắp xếp',
      en: 'The 65 commune-level units of Lạng Sơn after the 2025 reorganisation',
    },
    geometryColumn: 'geom_display',
    geometryType: 'MultiPolygon',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'line', color: '#8a8a8a', width: 0.8 },
    attribution: ADMIN_CREDIT,
  },
  {
    id: 'province',
    group: 'base',
    table: tables.base_features,
    where: base('province'),
    title: { vi: 'Ranh giới tỉnh Lạng Sơn', en: 'Lạng Sơn province outline' },
    description: { vi: 'Hợp các xã, phường năm 2025', en: 'Dissolved from the 2025 communes' },
    geometryColumn: 'geom',
    geometryType: 'Polygon',
    simplify: 0.0001,
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'line', color: '#4d4d4d', width: 2.2 },
    attribution: ADMIN_CREDIT,
  },
  {
    id: 'rivers',
    group: 'base',
    table: tables.base_features,
    where: base('rivers'),
    title: { vi: 'Sông chính', en: 'Main rivers' },
    description: { vi: 'Độ chính xác khoảng 1–2 km', en: 'Accurate to about 1–2 km' },
    geometryColumn: 'geom',
    geometryType: 'MultiLineString',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'line', color: '#6fa8dc', width: 1.4, labelField: 'name_vi', labelMinZoom: 9 },
    attribution: RIVERS_CREDIT,
  },
  {
    id: 'main_roads',
    group: 'base',
    table: tables.base_features,
    where: base('main_roads'),
    title: { vi: 'Quốc lộ chính (minh họa)', en: 'Main national roads (indicative)' },
    description: {
      vi: 'Vẽ nối các thị trấn mà nguồn công khai nêu tên; không phải tim đường, sai lệch 1–5 km',
      en: 'Drawn through the towns public sources name; not the road centreline, 1–5 km off',
    },
    geometryColumn: 'geom',
    geometryType: 'LineString',
    minZoom: 0,
    defaultVisible: true,
    // Neutral grey: roads must not be read as a status colour (the palette is for our features).
    style: { paint: 'line', color: '#8c8378', width: 1.6, dashIndicative: true, labelField: 'name_vi', labelMinZoom: 9 },
    attribution: ROADS_CREDIT,
  },
  {
    id: 'national_border',
    group: 'base',
    table: tables.base_features,
    where: base('national_border'),
    title: { vi: 'Biên giới Việt Nam – Trung Quốc', en: 'Vietnam–China border' },
    description: {
      vi: 'Đoạn qua tỉnh Lạng Sơn, 231 km; sai khác trung vị 15 m so với OSM',
      en: 'Lạng Sơn section, 231 km; median difference 15 m from OSM',
    },
    geometryColumn: 'geom',
    geometryType: 'MultiLineString',
    simplify: 0.00005,
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'line', color: '#7b3294', width: 2.6 },
    attribution: ADMIN_CREDIT,
  },
  {
    id: 'parcels',
    group: 'thematic',
    table: tables.parcels,
    title: { vi: 'Thửa đất', en: 'Land parcels' },
    description: {
      vi: 'Thửa đất địa chính và quy hoạch sử dụng đất, nạp hàng loạt',
      en: 'Cadastral and land-use plan parcels, bulk-loaded',
    },
    geometryColumn: 'geom',
    geometryType: 'MultiPolygon',
    minZoom: 13,
    defaultVisible: false,
    style: { paint: 'line', color: '#b07d48', width: 0.6 },
    delivery: 'tiles',
    temporalField: 'registered_on',
    tileProperties: ['land_use', 'map_sheet', 'parcel_no'],
  },
  {
    id: 'planning_areas',
    group: 'thematic',
    searchable: true,
    table: tables.planning_areas,
    title: { vi: 'Khu vực quy hoạch', en: 'Planning areas' },
    description: {
      vi: 'Khu kinh tế cửa khẩu, quy hoạch chung đến 2045',
      en: 'Border-gate economic zone and general plans to 2045',
    },
    geometryColumn: 'geom',
    geometryType: 'MultiPolygon',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'fill', colorBy: 'status', opacity: 0.08, hatch: true, dashIndicative: true, labelField: 'name_vi', labelMinZoom: 8 },
    temporalField: SOURCE_DATE,
  },
  {
    id: 'industrial_parks',
    group: 'thematic',
    searchable: true,
    table: tables.zones,
    where: { column: 'kind', values: ['industrial_park'] },
    title: { vi: 'Khu công nghiệp', en: 'Industrial parks' },
    description: { vi: 'Khu công nghiệp (KCN)', en: 'Industrial parks (KCN)' },
    geometryColumn: 'geom',
    geometryType: 'MultiPolygon',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'fill', colorBy: 'status', opacity: 0.55, dashIndicative: true, pointWhenNull: 'area_ha', pointsBelowZoom: 10, labelField: 'name_vi', labelMinZoom: 8 },
    temporalField: SOURCE_DATE,
  },
  {
    id: 'industrial_clusters',
    group: 'thematic',
    searchable: true,
    table: tables.zones,
    where: { column: 'kind', values: ['industrial_cluster'] },
    title: { vi: 'Cụm công nghiệp', en: 'Industrial clusters' },
    description: { vi: 'Cụm công nghiệp (CCN)', en: 'Industrial clusters (CCN)' },
    geometryColumn: 'geom',
    geometryType: 'MultiPolygon',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'fill', colorBy: 'status', opacity: 0.55, dashIndicative: true, pointWhenNull: 'area_ha', pointsBelowZoom: 10, labelField: 'name_vi', labelMinZoom: 9 },
    temporalField: SOURCE_DATE,
  },
  {
    id: 'project_sites',
    group: 'thematic',
    searchable: true,
    table: tables.projects,
    where: { column: 'kind', values: ['smart_gate_site', 'project_site'] },
    title: { vi: 'Khu vực dự án trọng điểm', en: 'Key project sites' },
    description: {
      vi: 'Khu vực cửa khẩu thông minh mốc 1119–1120 và các dự án khác',
      en: 'Smart border gate site at markers 1119–1120 and other projects',
    },
    geometryColumn: 'geom',
    geometryType: 'MultiPolygon',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'fill', colorBy: 'status', opacity: 0.35, hatch: true, dashIndicative: true, labelField: 'name_vi', labelMinZoom: 11 },
    temporalField: SOURCE_DATE,
  },
  {
    id: 'expressways',
    group: 'thematic',
    searchable: true,
    table: tables.projects,
    where: { column: 'kind', values: ['expressway'] },
    title: { vi: 'Đường cao tốc', en: 'Expressways' },
    description: { vi: 'Theo đoạn: đang khai thác, đang xây dựng, quy hoạch', en: 'By segment: open, under construction, planned' },
    geometryColumn: 'geom',
    geometryType: 'MultiLineString',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'line', colorBy: 'status', width: 4, dashIndicative: false, labelField: 'name_vi', labelMinZoom: 9 },
    temporalField: SOURCE_DATE,
  },
  {
    id: 'transport_projects',
    group: 'thematic',
    searchable: true,
    table: tables.projects,
    where: { column: 'kind', values: ['road', 'railway', 'freight_route'] },
    title: { vi: 'Đường, đường sắt, tuyến hàng hóa', en: 'Roads, rail and freight routes' },
    description: { vi: 'Dự án giao thông trọng điểm khác', en: 'Other key transport projects' },
    geometryColumn: 'geom',
    geometryType: 'MultiLineString',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'line', colorBy: 'status', width: 2.5, labelField: 'name_vi', labelMinZoom: 11 },
    temporalField: SOURCE_DATE,
  },
  {
    id: 'border_markers',
    group: 'thematic',
    searchable: true,
    table: tables.border_markers,
    title: { vi: 'Mốc biên giới', en: 'Border markers' },
    description: { vi: 'Các mốc liên quan đến dự án', en: 'Markers named in the projects' },
    geometryColumn: 'geom',
    geometryType: 'Point',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'circle', color: '#7b3294', width: 4, labelField: 'number', labelMinZoom: 11 },
    temporalField: SOURCE_DATE,
  },
  {
    id: 'border_gates',
    group: 'thematic',
    searchable: true,
    table: tables.border_gates,
    title: { vi: 'Cửa khẩu', en: 'Border gates' },
    description: { vi: 'Cửa khẩu quốc tế, chính, phụ và lối mở', en: 'International, main and secondary gates, openings' },
    geometryColumn: 'geom',
    geometryType: 'Point',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'icon', colorBy: 'status', iconBy: 'gate_type', labelField: 'name_vi', labelMinZoom: 8 },
    temporalField: SOURCE_DATE,
  },
  {
    id: 'places',
    group: 'base',
    table: tables.base_features,
    where: base('places'),
    title: { vi: 'Đô thị, thị trấn', en: 'Towns' },
    description: { vi: 'Điểm dân cư GeoNames', en: 'GeoNames populated places' },
    geometryColumn: 'geom',
    geometryType: 'Point',
    minZoom: 0,
    defaultVisible: true,
    style: { paint: 'label', color: '#333333', labelField: 'name_vi', labelMinZoom: 7 },
    attribution: GEONAMES_CREDIT,
  },
  {
    id: 'commune_labels',
    group: 'base',
    table: tables.communes,
    title: { vi: 'Tên xã, phường', en: 'Commune names' },
    description: { vi: 'Điểm đặt nhãn nằm trong mỗi xã', en: 'Label points inside each commune' },
    geometryColumn: 'label_point',
    geometryType: 'Point',
    minZoom: 9,
    defaultVisible: true,
    style: { paint: 'label', color: '#6b6b6b', labelField: 'name_vi', labelMinZoom: 9 },
    attribution: ADMIN_CREDIT,
  },
];

const byId = new Map(layers.map((l) => [l.id, l]));

export function findLayer(id: string): LayerSpec | undefined {
  return byId.get(id);
}
