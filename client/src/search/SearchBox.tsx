// One search box over every layer and the communes: type-ahead results (ARIA 1.2
// combobox), arrows to move, Enter to zoom to and select, Escape to close.
import { useEffect, useId, useRef, useState } from 'react';
import { searchFeatures, type SearchHit } from '../api/client.ts';
import type { LayerInfo, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Swatch } from '../panels/Swatch.tsx';

const DEBOUNCE_MS = 150;

type Props = { layers: LayerInfo[]; vocabularies: VocabularyMap; onChoose(hit: SearchHit): void };

export function SearchBox({ layers, vocabularies, onChoose }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const listId = useId();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [searched, setSearched] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const q = text.trim();
    if (!q) {
      setHits([]);
      setSearched('');
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      searchFeatures(q, abort.signal)
        .then((found) => {
          setHits(found);
          setActive(0);
          setSearched(q);
        })
        .catch(() => {});
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [text]);

  const choose = (hit: SearchHit | undefined) => {
    if (!hit) return;
    onChoose(hit);
    setOpen(false);
    setText(i18n.lang === 'en' ? (hit.name.en ?? hit.name.vi) : hit.name.vi);
    input.current?.blur();
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(hits[active]);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
    }
  };

  const layerTitle = (id: string) => {
    const layer = layers.find((l) => l.id === id);
    return layer ? i18n.title(layer.title) : id;
  };
  const showList = open && text.trim() !== '' && searched !== '';

  return (
    <div className="search">
      <input
        ref={input}
        type="search"
        role="combobox"
        aria-label={t('searchLabel')}
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && hits[active] ? `${listId}-${active}` : undefined}
        placeholder={t('searchPlaceholder')}
        value={text}
        maxLength={100}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      {showList && (
        <ul id={listId} role="listbox" className="search-results" aria-label={t('searchLabel')}>
          {hits.length === 0 && <li className="muted empty">{t('noResults')}</li>}
          {hits.map((hit, i) => {
            const status = vocabularies.status.find((s) => s.id === hit.status);
            return (
              <li
                key={`${hit.layer}/${hit.id}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : ''}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(hit)}
              >
                <span className="hit-name">{i18n.lang === 'en' ? (hit.name.en ?? hit.name.vi) : hit.name.vi}</span>
                <span className="hit-meta">
                  {status && <Swatch kind="circle" color={status.color!} />}
                  {layerTitle(hit.layer)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
