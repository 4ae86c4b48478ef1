// Choose paper, orientation and title; download the map as PDF or PNG (printed by the
// server), or open the print layout to print from the browser.
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { serializeUrlState, type UrlState } from '../state/url-state.ts';

export function PrintDialog({ url, onClose }: { url: UrlState; onClose(): void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [paper, setPaper] = useState<'A4' | 'A3'>('A4');
  const [orientation, setOrientation] = useState<'landscape' | 'portrait'>('landscape');
  const [title, setTitle] = useState(t('appTitle'));
  useEffect(() => dialog.current?.showModal(), []);

  const view = serializeUrlState({ ...url, print: null, title: '', compare: [] }).slice(1);
  const query = new URLSearchParams({ view, paper, orientation, title }).toString();
  const layout = serializeUrlState({ ...url, print: { paper, orientation }, title, compare: [] });

  return (
    <dialog ref={dialog} className="print-dialog" aria-labelledby="print-title" onClose={onClose}>
      <h2 id="print-title">{t('print')}</h2>
      <label className="field">
        <span>{t('printTitle')}</span>
        <input type="text" value={title} maxLength={160} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <fieldset className="chips">
        <legend>{t('paper')}</legend>
        {(['A4', 'A3'] as const).map((p) => (
          <label key={p}>
            <input type="radio" name="paper" checked={paper === p} onChange={() => setPaper(p)} /> {p}
          </label>
        ))}
      </fieldset>
      <fieldset className="chips">
        <legend>{t('orientation')}</legend>
        {(['landscape', 'portrait'] as const).map((o) => (
          <label key={o}>
            <input type="radio" name="orientation" checked={orientation === o} onChange={() => setOrientation(o)} /> {t(o)}
          </label>
        ))}
      </fieldset>
      <div className="buttons">
        <a className="button" href={`/api/print/map.pdf?${query}`} download>
          {t('downloadPdf')}
        </a>
        <a className="button" href={`/api/print/map.png?${query}`} download>
          {t('downloadPng')}
        </a>
        <a className="button" href={`/${layout}`} target="_blank" rel="noopener">
          {t('openPrintLayout')}
        </a>
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('close')}
        </button>
      </div>
    </dialog>
  );
}
