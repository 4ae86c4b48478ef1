// A returned collection form (reports/template.ts) is imported like any file, with the
// rules of a return on top: every row that changes a figure names the document it comes
// from (number and date), which becomes one of the zone's sources (its source_date moves
// to the document's date if later); a status that moves back in the life cycle, or to
// "suspended", needs the reason in the note, which goes into the history with the file.
import { fold } from '../search/fold.ts';
import { fieldError, type FieldError } from '../features/messages.ts';
import { isCalendarDate } from '../features/validation.ts';
import type { FeatureValues } from '../features/changes.ts';
import { statuses } from '../layers/vocabulary.ts';
import { bodyOf, COLLECTED_FIELDS } from '../reports/collection.ts';
import { RETURN_COLUMNS } from '../reports/template.ts';

export type ReturnColumns = { document: string | null; date: string | null; note: string | null };

export type ReturnSource = { key: string; title: string; publisher: string; published: string; licence: string; note: string };

/** The return's own columns of a row, when the file has them (a returned template). */
export function returnColumns(raw: Record<string, unknown>): ReturnColumns | undefined {
  if (!(RETURN_COLUMNS.document in raw)) return undefined;
  const text = (key: string) => {
    const v = raw[key];
    return v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim();
  };
  return { document: text(RETURN_COLUMNS.document), date: text(RETURN_COLUMNS.date), note: text(RETURN_COLUMNS.note) };
}

export const isReturnColumn = (key: string) => (Object.values(RETURN_COLUMNS) as string[]).includes(key);

// The life cycle a zone moves forward along; "suspended" stands apart.
const ORDER = statuses.map((s) => s.id).filter((s) => s !== 'suspended');
const regresses = (from: unknown, to: unknown) =>
  from !== to && (to === 'suspended' || (ORDER.includes(from as never) && ORDER.includes(to as never) && ORDER.indexOf(to as never) < ORDER.indexOf(from as never)));

export type ReturnedChange = { errors: FieldError[]; values: FeatureValues; note: string | undefined; source: ReturnSource | undefined };

/**
 * A row of a return that changes something: its refusals, the values to write (with the
 * return as a source), the history note and the source record the return becomes.
 */
export function returnedChange(current: Record<string, unknown>, values: FeatureValues, ret: ReturnColumns, changedFields: string[], fileName: string): ReturnedChange {
  const errors: FieldError[] = [];
  const figures = changedFields.filter((f) => (COLLECTED_FIELDS as readonly string[]).includes(f));
  if (figures.length && (!ret.document || !ret.date)) {
    errors.push(fieldError(RETURN_COLUMNS.document, 'source_required', { fields: figures.join(', ') }));
  }
  if (ret.date !== null && !isCalendarDate(ret.date)) errors.push(fieldError(RETURN_COLUMNS.date, 'date_format'));
  if ('status' in values && regresses(current.status, values.status) && !ret.note) {
    const title = (id: unknown) => statuses.find((s) => s.id === id)?.title ?? { vi: String(id), en: String(id) };
    const [from, to] = [title(current.status), title(values.status)];
    errors.push(fieldError(RETURN_COLUMNS.note, 'status_regress_note', { fromVi: from.vi, fromEn: from.en, toVi: to.vi, toEn: to.en }));
  }
  const note = `import ${fileName}${ret.note ? ` — ${ret.note}` : ''}`;
  if (errors.length || !figures.length) return { errors, values, note, source: undefined };
  const body = bodyOf(String(current.kind));
  const source: ReturnSource = {
    key: `RETURN-${ret.date}-${fold(ret.document!).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'document'}`,
    title: `Phiếu thu thập số liệu trả lời: văn bản số ${ret.document}, ngày ${ret.date}`,
    publisher: body.title.vi,
    published: ret.date!,
    licence: 'Văn bản hành chính của cơ quan nhà nước (administrative document)',
    note: `Returned collection form: document ${ret.document} of ${ret.date}, imported from ${fileName}`,
  };
  const sources = (current.sources as string[] | undefined) ?? [];
  const sourceDate = current.source_date as string | null;
  return {
    errors,
    values: {
      ...values,
      sources: sources.includes(source.key) ? sources : [...sources, source.key],
      source_date: sourceDate && sourceDate > ret.date! ? sourceDate : ret.date,
    },
    note,
    source,
  };
}
