// What a validation problem says, in both languages: the client shows the user's.
import type { Title } from '../layers/vocabulary.ts';

export type FieldError = { field: string; code: ErrorCode; message: Title };

type Params = Record<string, string | number>;

const templates = {
  required: { vi: 'Bắt buộc phải nhập.', en: 'Required.' },
  unknown_field: { vi: 'Lớp này không có trường “{field}”.', en: 'This layer has no field “{field}”.' },
  type: { vi: 'Phải là {expected}.', en: 'Must be {expectedEn}.' },
  vocabulary: { vi: 'Giá trị không hợp lệ; chọn một trong: {values}.', en: 'Not a valid value; choose one of: {values}.' },
  too_long: { vi: 'Dài quá {max} ký tự.', en: 'Longer than {max} characters.' },
  invalid_character: { vi: 'Có ký tự điều khiển không được phép (ví dụ U+0000).', en: 'Contains a control character that is not allowed (such as U+0000).' },
  range: { vi: 'Phải từ {min} đến {max}.', en: 'Must be between {min} and {max}.' },
  positive: { vi: 'Phải lớn hơn 0.', en: 'Must be greater than 0.' },
  not_negative: { vi: 'Không được âm.', en: 'Must not be negative.' },
  date_format: { vi: 'Ngày phải có dạng YYYY-MM-DD và có thật.', en: 'Dates are written YYYY-MM-DD and must exist.' },
  date_future: { vi: 'Ngày không được ở tương lai.', en: 'The date cannot be in the future.' },
  date_range: { vi: 'Ngày phải trong khoảng {min} – {max}.', en: 'The date must fall between {min} and {max}.' },
  leasable_over_area: {
    vi: 'Diện tích cho thuê ({leasable} ha) lớn hơn diện tích quy hoạch ({area} ha).',
    en: 'Leasable land ({leasable} ha) exceeds the planned area ({area} ha).',
  },
  occupied_over_leasable: {
    vi: 'Diện tích đã cho thuê ({occupied} ha) lớn hơn diện tích cho thuê ({leasable} ha).',
    en: 'Occupied land ({occupied} ha) exceeds the leasable land ({leasable} ha).',
  },
  occupied_without_leasable: {
    vi: 'Có diện tích đã cho thuê thì phải có diện tích đất cho thuê.',
    en: 'Occupied land needs the leasable land to be known.',
  },
  layer_mismatch: { vi: 'Lớp này chỉ chứa: {values}.', en: 'This layer holds only: {values}.' },
  unknown_source: { vi: 'Nguồn chưa có trong danh mục: {keys}.', en: 'Not in the list of sources: {keys}.' },
  not_hideable: { vi: 'Không thể ẩn trường “{field}”.', en: 'The field “{field}” cannot be hidden.' },
  legal_basis: {
    vi: 'Mỗi căn cứ cần loại, số hiệu, trích yếu (và ngày dạng YYYY-MM-DD nếu có).',
    en: 'Each entry needs a type, number and title (and a YYYY-MM-DD date if known).',
  },
  geometry_missing: { vi: 'Cần có hình học (vị trí hoặc ranh giới).', en: 'A geometry (location or outline) is required.' },
  geometry_malformed: { vi: 'Hình học không đúng định dạng GeoJSON: {reason}.', en: 'Not a GeoJSON geometry: {reason}.' },
  geometry_type: { vi: 'Lớp này cần {expected}, không phải {actual}.', en: 'This layer needs {expectedEn}, not {actual}.' },
  geometry_invalid: {
    vi: 'Hình học không hợp lệ ({reason}). Có thể chọn “Tự sửa hình học”.',
    en: 'Invalid geometry ({reason}). You may choose “Repair the geometry”.',
  },
  outside_province: {
    vi: 'Nằm ngoài tỉnh Lạng Sơn (quá {tolerance} m so với ranh giới tỉnh).',
    en: 'Outside Lạng Sơn province (more than {tolerance} m beyond its boundary).',
  },
  id_format: {
    vi: 'Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang.',
    en: 'An id has lower-case letters, digits and single hyphens only.',
  },
  id_taken: { vi: 'Mã “{id}” đã được dùng.', en: 'The id “{id}” is already in use.' },
  id_unknown: {
    vi: 'Không có khu, cụm nào mã “{id}”: phiếu thu thập chỉ cập nhật các khu, cụm đã có.',
    en: 'No zone has the id “{id}”: a returned form only updates zones that exist.',
  },
  source_required: {
    vi: 'Số liệu thay đổi ({fields}) cần ghi số và ngày văn bản trả lời.',
    en: 'Changed figures ({fields}) need the number and date of the returning document.',
  },
  status_regress_note: {
    vi: 'Hiện trạng lùi từ “{fromVi}” về “{toVi}”: cần ghi lý do ở cột Ghi chú.',
    en: 'The status moves back from “{fromEn}” to “{toEn}”: give the reason in the Note column.',
  },
  id_repeated: { vi: 'Mã “{id}” xuất hiện nhiều lần trong tệp.', en: 'The id “{id}” appears more than once in the file.' },
  changed_since_export: {
    vi: 'Đối tượng đã được sửa (phiên bản {actual}) sau khi xuất tệp (phiên bản {expected}).',
    en: 'The feature was changed (version {actual}) after this file was exported (version {expected}).',
  },
  rejected: { vi: 'Cơ sở dữ liệu từ chối: {reason}', en: 'Refused by the database: {reason}' },
} as const satisfies Record<string, Title>;

export type ErrorCode = keyof typeof templates;

const fill = (text: string, params: Params) => text.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));

export function fieldError(field: string, code: ErrorCode, params: Params = {}): FieldError {
  const template = templates[code];
  return { field, code, message: { vi: fill(template.vi, params), en: fill(template.en, params) } };
}

/** Names of value kinds, for the `type` and `geometry_type` messages. */
export const kindNames: Record<string, Title> = {
  text: { vi: 'chữ', en: 'text' },
  number: { vi: 'một số', en: 'a number' },
  integer: { vi: 'một số nguyên', en: 'a whole number' },
  'text[]': { vi: 'danh sách chữ', en: 'a list of texts' },
  json: { vi: 'danh sách', en: 'a list' },
  Point: { vi: 'một điểm', en: 'a point' },
  MultiPolygon: { vi: 'vùng (đa giác)', en: 'an area (polygon)' },
  MultiLineString: { vi: 'tuyến (đường)', en: 'a line' },
};
