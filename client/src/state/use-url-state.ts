import { useCallback, useEffect, useState } from 'react';
import { parseUrlState, serializeUrlState, type UrlState } from './url-state.ts';

/**
 * The URL hash as React state. Updates replace the history entry (moving the map must
 * not fill the back button); editing the hash by hand or following a link updates it.
 */
export function useUrlState(): [UrlState, (update: (state: UrlState) => UrlState) => void] {
  const [state, setState] = useState(() => parseUrlState(window.location.hash));
  useEffect(() => {
    const onHashChange = () => setState(parseUrlState(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  const update = useCallback((fn: (state: UrlState) => UrlState) => {
    setState((current) => {
      const next = fn(current);
      const hash = serializeUrlState(next);
      if (hash !== window.location.hash) window.history.replaceState(null, '', hash);
      return next;
    });
  }, []);
  return [state, update];
}
