// The sign-in button and dialog in the top bar; once signed in, the user's name and
// role and a sign-out button.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { Session } from './use-session.ts';

export function SignIn({ session }: { session: Session }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (session.user === undefined) return null;
  if (session.user) {
    return (
      <span className="session">
        <span className="who">{t('signedInAs', { name: session.user.username, role: t(`role_${session.user.role}`) })}</span>
        <button type="button" onClick={() => void session.signOut()}>
          {t('signOut')}
        </button>
      </span>
    );
  }
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {t('signIn')}
      </button>
      {open && <SignInDialog session={session} onClose={() => setOpen(false)} />}
    </>
  );
}

function SignInDialog({ session, onClose }: { session: Session; onClose(): void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => dialog.current?.showModal(), []);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await session.signIn(String(form.get('username')), String(form.get('password')));
      onClose();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? t('signInThrottled') : t('signInFailed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog ref={dialog} className="sign-in" aria-labelledby="sign-in-title" onClose={onClose}>
      <form onSubmit={submit}>
        <h2 id="sign-in-title">{t('signIn')}</h2>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {t('signIn')}
          </button>
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
