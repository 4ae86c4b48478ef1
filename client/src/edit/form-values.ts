// Between a feature's properties and the edit form: every field as the text its input
// holds, and back to typed values — only those the editor changed, for a PATCH.
import type { FieldInfo, LegalBasisEntry, Properties } from '../api/types.ts';

export type LegalRow = { type: string; number: string; date: string; issuer: string; title: string };
export type FormValues = { text: Record<string, string>; legal: LegalRow[]; hidden: string[] };

export const HIDDEN = 'internal_fields';
const IDENTITY = ['name_vi', 'name_en', 'status', 'kind', 'gate_type', 'number', 'plan_level'];

/** Fields an editor fills in: all but the computed ones. */
export const editableFields = (fields: readonly FieldInfo[]) => fields.filter((f) => !f.generated);

/** Public fields that may be hidden from the public for one feature (not what it is found by). */
export const hideableFields = (fields: readonly FieldInfo[]) =>
  fields.filter((f) => !f.generated && f.visibility === 'public' && !IDENTITY.includes(f.name));

export function toFormValues(fields: readonly FieldInfo[], p: Properties): FormValues {
  const text: Record<string, string> = {};
  for (const f of editableFields(fields)) {
    const v = p[f.name];
    if (f.type === 'json') continue;
    text[f.name] = v === null || v === undefined ? '' : f.type === 'text[]' ? (v as string[]).join('\n') : String(v);
  }
  const legal = ((p.legal_basis as LegalBasisEntry[] | undefined) ?? []).map((e) => ({
    type: e.type,
    number: e.number,
    date: e.date ?? '',
    issuer: e.issuer ?? '',
    title: e.title,
  }));
  return { text, legal, hidden: [...((p[HIDDEN] as string[] | undefined) ?? [])] };
}

function typed(field: FieldInfo, text: string): unknown {
  const t = text.trim();
  if (field.type === 'text[]') return t.split('\n').map((s) => s.trim()).filter(Boolean);
  if (t === '') return null;
  if (field.type === 'number' || field.type === 'integer') {
    // Accept the Vietnamese decimal comma ("599,76").
    const n = Number(t.replace(',', '.'));
    return Number.isFinite(n) ? n : t;
  }
  return t;
}

/** The properties to send: all filled-in values for a new feature, the changed ones for an edit. */
export function toProperties(fields: readonly FieldInfo[], values: FormValues, original?: Properties): Properties {
  const out: Properties = {};
  for (const f of editableFields(fields)) {
    if (f.type === 'json') {
      const legal = values.legal
        .filter((r) => r.number.trim() || r.title.trim())
        .map((r) => ({ type: r.type.trim(), number: r.number.trim(), date: r.date || null, issuer: r.issuer.trim() || null, title: r.title.trim() }));
      out[f.name] = legal;
    } else {
      out[f.name] = typed(f, values.text[f.name] ?? '');
    }
  }
  out[HIDDEN] = values.hidden;
  if (!original) return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)));
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null) || (isEmpty(a) && isEmpty(b));
  return Object.fromEntries(Object.entries(out).filter(([k, v]) => !same(v, original[k])));
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
