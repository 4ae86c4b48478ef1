// Controlled vocabularies shared by the database checks, the API and the client
// legend. Titles are Vietnamese first, English second.
export type Title = { vi: string; en: string };
export type Term = { id: string; title: Title };

// Status colours: the Okabe–Ito palette, distinguishable with the common forms of
// colour blindness; life-cycle order runs from pale/cool to saturated/warm and green.
export const statuses = [
  { id: 'proposed', title: { vi: 'Đề xuất', en: 'Proposed' }, color: '#999999' },
  { id: 'planned', title: { vi: 'Trong quy hoạch', en: 'Planned' }, color: '#56B4E9' },
  { id: 'approved', title: { vi: 'Đã phê duyệt', en: 'Approved' }, color: '#0072B2' },
  { id: 'site_clearance', title: { vi: 'Giải phóng mặt bằng', en: 'Site clearance' }, color: '#E69F00' },
  { id: 'under_construction', title: { vi: 'Đang xây dựng', en: 'Under construction' }, color: '#D55E00' },
  { id: 'operating', title: { vi: 'Đang hoạt động', en: 'Operating' }, color: '#009E73' },
  { id: 'suspended', title: { vi: 'Tạm dừng', en: 'Suspended' }, color: '#CC79A7' },
] as const satisfies readonly (Term & { color: string })[];

export type Status = (typeof statuses)[number]['id'];

export const accuracyClasses = [
  { id: 'surveyed', title: { vi: 'Đo đạc', en: 'Surveyed' } },
  { id: 'digitized', title: { vi: 'Số hóa từ nguồn', en: 'Digitized from a source' } },
  {
    id: 'indicative',
    title: { vi: 'Vị trí minh họa – không phải ranh giới pháp lý', en: 'Indicative – not a legal boundary' },
  },
] as const satisfies readonly Term[];

export const zoneKinds = [
  { id: 'industrial_park', title: { vi: 'Khu công nghiệp', en: 'Industrial park' } },
  { id: 'industrial_cluster', title: { vi: 'Cụm công nghiệp', en: 'Industrial cluster' } },
] as const satisfies readonly Term[];

export const gateTypes = [
  { id: 'international', title: { vi: 'Cửa khẩu quốc tế', en: 'International gate' } },
  { id: 'main', title: { vi: 'Cửa khẩu chính', en: 'Main gate' } },
  { id: 'secondary', title: { vi: 'Cửa khẩu phụ', en: 'Secondary gate' } },
  { id: 'opening', title: { vi: 'Lối mở', en: 'Border opening' } },
] as const satisfies readonly Term[];

export const transportModes = [
  { id: 'road', title: { vi: 'Đường bộ', en: 'Road' } },
  { id: 'rail', title: { vi: 'Đường sắt', en: 'Rail' } },
  { id: 'road_rail', title: { vi: 'Đường bộ và đường sắt', en: 'Road and rail' } },
] as const satisfies readonly Term[];

export const projectKinds = [
  { id: 'expressway', title: { vi: 'Đường cao tốc', en: 'Expressway' } },
  { id: 'road', title: { vi: 'Đường bộ', en: 'Road' } },
  { id: 'railway', title: { vi: 'Đường sắt', en: 'Railway' } },
  { id: 'freight_route', title: { vi: 'Đường chuyên dụng vận chuyển hàng hóa', en: 'Dedicated freight route' } },
  { id: 'smart_gate_site', title: { vi: 'Khu vực cửa khẩu thông minh', en: 'Smart border gate site' } },
  { id: 'project_site', title: { vi: 'Khu vực dự án', en: 'Project site' } },
] as const satisfies readonly Term[];

export const planLevels = [
  { id: 'economic_zone', title: { vi: 'Khu kinh tế cửa khẩu', en: 'Border-gate economic zone' } },
  { id: 'general', title: { vi: 'Quy hoạch chung', en: 'General plan' } },
  { id: 'zoning', title: { vi: 'Quy hoạch phân khu', en: 'Zoning plan' } },
  { id: 'detailed', title: { vi: 'Quy hoạch chi tiết', en: 'Detailed plan' } },
] as const satisfies readonly Term[];

export const unitTypes = [
  { id: 'commune', title: { vi: 'Xã', en: 'Commune' } },
  { id: 'ward', title: { vi: 'Phường', en: 'Ward' } },
] as const satisfies readonly Term[];

export const vocabularies = {
  status: statuses,
  accuracy: accuracyClasses,
  zone_kind: zoneKinds,
  gate_type: gateTypes,
  transport_mode: transportModes,
  project_kind: projectKinds,
  plan_level: planLevels,
  unit_type: unitTypes,
} as const;

export type VocabularyName = keyof typeof vocabularies;
