// What a slide keeps of the app's state: the map, its layers, the selection and the
// filter. Not the language, which is the viewer's, nor tools or dialogs.
import { defaultState, serializeUrlState, type UrlState } from '../state/url-state.ts';

export function slideState({ view, layers, selection, filter }: UrlState): string {
  return (
    serializeUrlState({ ...defaultState, view, layers, selection, filter })
      .replace(/^#lang=[a-z]+&?/, '')
      // encodeURIComponent leaves these as they are; the server accepts a narrower set.
      .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  );
}
