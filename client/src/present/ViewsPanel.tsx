// The "Slides" tab: the saved views of the presentation, in order. Anyone can start the
// presentation from any slide; editors save the current map as a slide, rewrite one
// (optionally with the current map), move it up or down, and delete it.
import { useState, type FormEvent } from 'react';
import { ApiError, createView, deleteView, fetchViews, reorderViews, updateView, type SavedView, type ViewValues } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';

type Props = {
  views: SavedView[];
  canEdit: boolean;
  /** The current map as a slide's state (see slide-state.ts). */
  currentState: string;
  onChange(views: SavedView[]): void;
  onPlay(index: number): void;
};

type Draft = { title_vi: string; title_en: string; notes_vi: string; notes_en: string; useCurrentMap: boolean };
// Answers meaning another editor changed the slides first.
const STALE = new Set(['version_conflict', 'views_changed', 'view_not_found']);
const emptyDraft: Draft = { title_vi: '', title_en: '', notes_vi: '', notes_en: '', useCurrentMap: true };

export function ViewsPanel({ views, canEdit, currentState, onChange, onPlay }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  // null: no form open; 'new': a new slide; else the id of the slide being rewritten.
  const [editingId, setEditingId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<SavedView[]>) => {
    setBusy(true);
    setProblem(null);
    try {
      onChange(await fn());
      return true;
    } catch (error) {
      setProblem(messageOf(error));
      if (error instanceof ApiError && STALE.has(error.code)) onChange(await fetchViews().catch(() => views));
      return false;
    } finally {
      setBusy(false);
    }
  };
  // What the server says, in the user's language where we know the case.
  const messageOf = (error: unknown) => {
    if (!(error instanceof ApiError)) return t('saveFailed', { detail: String(error) });
    if (STALE.has(error.code)) return t('viewsChangedElsewhere');
    return t('saveFailed', { detail: error.detail });
  };

  const open = (view: SavedView | null) => {
    setProblem(null);
    setEditingId(view?.id ?? 'new');
    setDraft(
      view
        ? { title_vi: view.title_vi, title_en: view.title_en, notes_vi: view.notes_vi ?? '', notes_en: view.notes_en ?? '', useCurrentMap: false }
        : emptyDraft,
    );
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const values: Partial<ViewValues> = { title_vi: draft.title_vi, title_en: draft.title_en, notes_vi: draft.notes_vi, notes_en: draft.notes_en };
    if (draft.useCurrentMap) values.state = currentState;
    const editingView = views.find((v) => v.id === editingId);
    const saved = await run(async () => {
      if (editingView) await updateView(editingView.id, editingView.version, values);
      else await createView({ ...(values as ViewValues), state: currentState });
      // Read again: another editor may have changed the list meanwhile.
      return fetchViews();
    });
    if (saved) setEditingId(null);
  };

  const move = (index: number, by: -1 | 1) => {
    const ids = views.map((v) => v.id);
    [ids[index], ids[index + by]] = [ids[index + by]!, ids[index]!];
    void run(() => reorderViews(ids));
  };

  const remove = (view: SavedView) =>
    void run(async () => {
      await deleteView(view.id, view.version);
      return fetchViews();
    }).then(() => setDeleting(null));

  const title = (v: SavedView) => (i18n.lang === 'en' ? v.title_en : v.title_vi);
  const field = (name: keyof Omit<Draft, 'useCurrentMap'>, label: string, multiline = false) => (
    <label className="field">
      <span>{label}</span>
      {multiline ? (
        <textarea rows={3} value={draft[name]} maxLength={2000} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} />
      ) : (
        <input required value={draft[name]} maxLength={200} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} />
      )}
    </label>
  );
  const form = (
    <form className="view-form" onSubmit={(e) => void submit(e)} aria-label={editingId === 'new' ? t('newSlide') : t('editSlide')}>
      <h3>{editingId === 'new' ? t('newSlide') : t('editSlide')}</h3>
      {field('title_vi', t('slideTitleVi'))}
      {field('title_en', t('slideTitleEn'))}
      {field('notes_vi', t('slideNotesVi'), true)}
      {field('notes_en', t('slideNotesEn'), true)}
      {editingId !== 'new' && (
        <label className="check">
          <input type="checkbox" checked={draft.useCurrentMap} onChange={(e) => setDraft({ ...draft, useCurrentMap: e.target.checked })} /> {t('slideUseCurrentMap')}
        </label>
      )}
      <div className="buttons">
        <button type="submit" disabled={busy}>
          {t('save')}
        </button>
        <button type="button" onClick={() => setEditingId(null)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );

  return (
    <section className="views-panel" aria-labelledby="views-heading">
      <h2 id="views-heading">{t('slides')}</h2>
      {views.length === 0 ? (
        <p className="small muted">{t('noSlides')}</p>
      ) : (
        <ol className="view-list">
          {views.map((view, index) => (
            <li key={view.id}>
              <div className="view-row">
                <span className="view-title">{title(view)}</span>
                <button type="button" aria-label={t('presentFrom', { title: title(view) })} title={t('presentFrom', { title: title(view) })} onClick={() => onPlay(index)}>
                  ▶
                </button>
              </div>
              {canEdit && (
                <div className="view-actions">
                  <button type="button" disabled={busy || index === 0} aria-label={t('moveUp', { title: title(view) })} onClick={() => move(index, -1)}>
                    ↑
                  </button>
                  <button type="button" disabled={busy || index === views.length - 1} aria-label={t('moveDown', { title: title(view) })} onClick={() => move(index, 1)}>
                    ↓
                  </button>
                  <button type="button" onClick={() => open(view)}>
                    {t('edit')}
                  </button>
                  <button type="button" className="danger" onClick={() => setDeleting(view.id)}>
                    {t('deleteSlide')}
                  </button>
                </div>
              )}
              {deleting === view.id && (
                <div role="alertdialog" aria-label={t('deleteSlide')} className="confirm">
                  <p>{t('confirmDeleteSlide', { title: title(view) })}</p>
                  <button type="button" className="danger" disabled={busy} onClick={() => remove(view)}>
                    {t('confirmDeleteYes')}
                  </button>
                  <button type="button" onClick={() => setDeleting(null)}>
                    {t('cancel')}
                  </button>
                </div>
              )}
              {editingId === view.id && form}
            </li>
          ))}
        </ol>
      )}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {canEdit && (editingId === 'new' ? form : <button type="button" onClick={() => open(null)}>{t('newSlide')}</button>)}
    </section>
  );
}
