// The typed edit form of one feature (or a new one): inputs chosen by field type —
// status from its vocabulary, numbers with units, dates, the legal basis as rows —
// per-field errors in the user's language, and a conflict view showing both versions.
import { useState, type FormEvent } from 'react';
import { ApiError, createFeature, updateFeature, type FieldProblem } from '../api/client.ts';
import type { FieldInfo, LayerInfo, MapFeature, Properties, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatValue } from '../panels/format.ts';
import { editableFields, hideableFields, HIDDEN, toFormValues, toProperties, type FormValues, type LegalRow } from './form-values.ts';

type Props = {
  layer: LayerInfo;
  vocabularies: VocabularyMap;
  /** The feature edited; null for a new one (then geometry is its drawn shape). */
  feature: MapFeature | null;
  geometry?: GeoJSON.Geometry;
  onSaved(feature: MapFeature): void;
  onCancel(): void;
};

type Conflict = { mine: number; theirs: number; current: MapFeature; sent: Properties };

// Free text that reads better in a box of several lines.
const LONG_TEXT = new Set(['notes', 'internal_notes', 'difficulties', 'proposals', 'geometry_note']);

export function FeatureForm({ layer, vocabularies, feature, geometry, onSaved, onCancel }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [values, setValues] = useState<FormValues>(() => toFormValues(layer.fields, feature?.properties ?? {}));
  const [base, setBase] = useState<MapFeature | null>(feature);
  const [errors, setErrors] = useState<FieldProblem[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [repair, setRepair] = useState(false);

  const save = async (properties: Properties, version?: number) => {
    setBusy(true);
    setErrors([]);
    setStatus(null);
    try {
      const saved = base
        ? await updateFeature(layer.id, base.id, version ?? Number(base.properties.version), { properties })
        : await createFeature(layer.id, { properties, geometry: geometry!, repair });
      setStatus(t('saved', { version: Number(saved.feature.properties.version) }));
      onSaved(saved.feature);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 412) {
        setConflict({ mine: Number(error.body.submittedVersion), theirs: Number(error.body.currentVersion), current: error.body.current as MapFeature, sent: properties });
      } else if (error.status === 422) {
        setErrors((error.body.fields as FieldProblem[]) ?? []);
        setStatus(t('fixErrors'));
      } else {
        setStatus(error.detail);
      }
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const properties = toProperties(layer.fields, values, base?.properties);
    if (base && Object.keys(properties).length === 0) return onCancel();
    void save(properties);
  };

  const errorOf = (name: string) => errors.find((e) => e.field === name);
  const setText = (name: string, text: string) => setValues((v) => ({ ...v, text: { ...v.text, [name]: text } }));
  const setLegal = (rows: LegalRow[]) => setValues((v) => ({ ...v, legal: rows }));
  const hideable = new Set(hideableFields(layer.fields).map((f) => f.name));
  // The layer's own kind (parks, clusters…) is fixed by the layer.
  const fields = editableFields(layer.fields).filter((f) => !(f.vocabulary && ['zone_kind'].includes(f.vocabulary) && !base));

  if (conflict) {
    const show = (f: FieldInfo, v: unknown) => formatValue(f, v, i18n, vocabularies);
    const changed = layer.fields.filter((f) => f.name in conflict.sent);
    return (
      <section className="conflict" role="alertdialog" aria-labelledby="conflict-title">
        <h3 id="conflict-title">{t('conflictTitle')}</h3>
        <p>{t('conflictText', { mine: conflict.mine, theirs: conflict.theirs })}</p>
        <table>
          <thead>
            <tr>
              <th>{t('field')}</th>
              <th>{t('yourValue')}</th>
              <th>{t('theirValue')}</th>
            </tr>
          </thead>
          <tbody>
            {changed.map((f) => (
              <tr key={f.name}>
                <th scope="row">{i18n.title(f.title)}</th>
                <td>{show(f, conflict.sent[f.name])}</td>
                <td>{show(f, conflict.current.properties[f.name])}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-actions">
          <button type="button" onClick={() => { setBase(conflict.current); setConflict(null); void save(conflict.sent, conflict.theirs); }}>
            {t('keepMine')}
          </button>
          <button type="button" onClick={() => { setConflict(null); onSaved(conflict.current); }}>
            {t('takeTheirs')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <form className="feature-form" onSubmit={submit} noValidate>
      {!base && <h3>{t('newFeatureIn', { layer: i18n.title(layer.title) })}</h3>}
      {fields.map((f) => {
        const id = `edit-${f.name}`;
        const error = errorOf(f.name);
        const label = (
          <label htmlFor={id}>
            {i18n.title(f.title)}
            {f.unit && <span className="muted"> ({f.unit})</span>}
            {f.visibility === 'internal' && <span className="badge">{t('internalField')}</span>}
          </label>
        );
        if (f.type === 'json') return <LegalBasisEditor key={f.name} rows={values.legal} onChange={setLegal} error={error?.message[i18n.lang]} />;
        const common = { id, name: f.name, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
        const value = values.text[f.name] ?? '';
        const input = f.vocabulary ? (
          <select {...common} value={value} onChange={(e) => setText(f.name, e.target.value)}>
            <option value="">—</option>
            {vocabularies[f.vocabulary].map((term) => (
              <option key={term.id} value={term.id}>
                {i18n.title(term.title)}
              </option>
            ))}
          </select>
        ) : f.type === 'text[]' || LONG_TEXT.has(f.name) ? (
          <textarea {...common} rows={f.type === 'text[]' ? 2 : 3} value={value} placeholder={f.type === 'text[]' ? t('onePerLine') : undefined} onChange={(e) => setText(f.name, e.target.value)} />
        ) : (
          <input
            {...common}
            type={f.type === 'date' ? 'date' : 'text'}
            inputMode={f.type === 'number' || f.type === 'integer' ? 'decimal' : undefined}
            value={value}
            onChange={(e) => setText(f.name, e.target.value)}
          />
        );
        return (
          <div key={f.name} className={`form-field ${error ? 'invalid' : ''}`}>
            {label}
            {input}
            {hideable.has(f.name) && (
              <label className="hide-toggle">
                <input
                  type="checkbox"
                  checked={values.hidden.includes(f.name)}
                  onChange={(e) => setValues((v) => ({ ...v, hidden: e.target.checked ? [...v.hidden, f.name] : v.hidden.filter((n) => n !== f.name) }))}
                />{' '}
                {t('hiddenFromPublic')}
              </label>
            )}
            {error && (
              <p id={`${id}-error`} className="form-error">
                {error.message[i18n.lang]}
              </p>
            )}
          </div>
        );
      })}
      {[...errors.filter((e) => e.field === 'geometry' || e.field === HIDDEN || e.field === 'id')].map((e) => (
        <p key={e.field} className="form-error" role="alert">
          {e.message[i18n.lang]}
        </p>
      ))}
      {!base && (
        <label className="hide-toggle">
          <input type="checkbox" checked={repair} onChange={(e) => setRepair(e.target.checked)} /> {t('repairGeometry')}
        </label>
      )}
      {status && (
        <p className="form-status" role="status">
          {status}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function LegalBasisEditor({ rows, onChange, error }: { rows: LegalRow[]; onChange(rows: LegalRow[]): void; error?: string }) {
  const { t } = useI18n();
  const set = (i: number, key: keyof LegalRow, value: string) => onChange(rows.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  const columns: [keyof LegalRow, Parameters<typeof t>[0]][] = [
    ['type', 'legalType'],
    ['number', 'legalNumber'],
    ['date', 'legalDate'],
    ['issuer', 'legalIssuer'],
    ['title', 'legalTitle'],
  ];
  return (
    <fieldset className={`legal-editor ${error ? 'invalid' : ''}`}>
      <legend>{t('legalBasis')}</legend>
      {rows.map((row, i) => (
        <div key={i} className="legal-row">
          {columns.map(([key, label]) => (
            <input key={key} aria-label={`${t(label)} ${i + 1}`} placeholder={t(label)} type={key === 'date' ? 'date' : 'text'} value={row[key]} onChange={(e) => set(i, key, e.target.value)} />
          ))}
          <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            {t('remove')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { type: 'decision', number: '', date: '', issuer: '', title: '' }])}>
        {t('addLegalBasis')}
      </button>
      {error && <p className="form-error">{error}</p>}
    </fieldset>
  );
}
