// Who is signed in. Everything the server sends depends on it (internal fields), so
// the shell reloads its data whenever it changes.
import { useCallback, useEffect, useState } from 'react';
import { fetchSession, signIn as postSignIn, signOut as postSignOut, type SessionUser } from '../api/client.ts';

export type Session = {
  /** undefined while the server has not said yet; null for the public. */
  user: SessionUser | null | undefined;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
};

export function useSession(): Session {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  useEffect(() => {
    fetchSession().then(setUser, () => setUser(null));
  }, []);
  const signIn = useCallback(async (username: string, password: string) => setUser(await postSignIn(username, password)), []);
  const signOut = useCallback(async () => {
    await postSignOut();
    setUser(null);
  }, []);
  return { user, signIn, signOut };
}

export const canEdit = (user: SessionUser | null | undefined) => user?.role === 'editor' || user?.role === 'admin';
