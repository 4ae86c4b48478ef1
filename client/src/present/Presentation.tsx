// Presentation mode for leaders: the saved views, one at a time, full screen, in large
// type over a clean map. ←/→ (or PageUp/PageDown, as presenter remotes send), Esc ends.
import { useEffect } from 'react';
import type { SavedView } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';

type Props = { views: SavedView[]; current: string; onGo(index: number): void; onExit(): void };

export function Presentation({ views, current, onGo, onExit }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const index = Math.max(0, views.findIndex((v) => v.id === current));
  const view = views[index];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === ' ') onGo(Math.min(index + 1, views.length - 1));
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') onGo(Math.max(index - 1, 0));
      else if (e.key === 'Home') onGo(0);
      else if (e.key === 'End') onGo(views.length - 1);
      else if (e.key === 'Escape') onExit();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, views.length, onGo, onExit]);

  // In full screen the browser keeps Esc for itself and only leaves full screen: take
  // that as the end of the presentation too.
  useEffect(() => {
    const onChange = () => {
      if (!document.fullscreenElement) onExit();
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, [onExit]);

  if (!view) return null;
  const notes = i18n.lang === 'en' ? view.notes_en : view.notes_vi;
  return (
    <section className="presentation" aria-roledescription={t('slide')} aria-label={t('slideOf', { n: index + 1, total: views.length })} aria-live="polite">
      <p className="slide-number">{t('slideOf', { n: index + 1, total: views.length })}</p>
      <h2>{i18n.lang === 'en' ? view.title_en : view.title_vi}</h2>
      {notes && <p className="slide-notes">{notes}</p>}
      <div className="buttons">
        <button type="button" onClick={() => onGo(index - 1)} disabled={index === 0}>
          ← {t('previous')}
        </button>
        <button type="button" onClick={() => onGo(index + 1)} disabled={index === views.length - 1}>
          {t('next')} →
        </button>
        <button type="button" onClick={onExit}>
          {t('endPresentation')}
        </button>
      </div>
    </section>
  );
}
