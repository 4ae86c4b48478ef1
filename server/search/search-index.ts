// Search over every searchable layer: a small in-memory index (names of zones, gates,
// projects, plans, communes: hundreds of rows), rebuilt when the data changes. Folding,
// ranking and typo tolerance happen here, the same whatever the database backend.
import type { Database } from '../db/adapter.ts';
import { ident } from '../db/sql.ts';
import { layerFilterSql } from '../layers/queries.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { RevisionStore } from '../layers/revisions.ts';
import { editDistance, fold } from './fold.ts';

export type SearchHit = {
  layer: string;
  id: string;
  name: { vi: string; en: string | null };
  status: string | null;
  kind: string | null;
  bbox: [number, number, number, number];
  score: number;
};

type Entry = Omit<SearchHit, 'score'> & { nameTokens: string[]; otherTokens: string[]; folded: string; thematic: boolean };

// How well a query matches, best first. Only these tiers exist; ties go to our own
// features before place names, then to shorter names.
const EXACT = 100;
const NAME_PREFIX = 90;
const NAME_PHRASE = 80;
const NAME_WORDS = 70;
const OTHER_WORDS = 55;
const NEAR_WORDS = 30;

export class SearchIndex {
  private entries: Entry[] = [];
  private builtFor: string | undefined;
  private building: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly revisions: RevisionStore,
    private readonly layers: readonly LayerSpec[],
  ) {}

  async search(query: string, limit: number): Promise<SearchHit[]> {
    await this.ensureCurrent();
    const q = fold(query);
    const tokens = q.split(' ').filter(Boolean);
    if (!tokens.length) return [];
    const hits: SearchHit[] = [];
    for (const e of this.entries) {
      const score = scoreEntry(e, q, tokens);
      if (score > 0) {
        const { nameTokens: _n, otherTokens: _o, folded: _f, thematic, ...hit } = e;
        hits.push({ ...hit, score: score + (thematic ? 1 : 0) });
      }
    }
    hits.sort((a, b) => b.score - a.score || a.name.vi.length - b.name.vi.length || a.name.vi.localeCompare(b.name.vi, 'vi'));
    return hits.slice(0, limit);
  }

  private async ensureCurrent(): Promise<void> {
    const signature = this.revisions.signature();
    if (this.builtFor === signature) return;
    this.building ??= this.load(signature).finally(() => {
      this.building = undefined;
    });
    await this.building;
  }

  private async load(signature: string): Promise<void> {
    const parts: string[] = [];
    const params: unknown[] = [];
    for (const layer of this.layers) {
      const columns = new Set(layer.table.fields.map((f) => f.name));
      const filter = layerFilterSql(layer, 't', params.length + 1);
      const where = filter.sql;
      params.push(...filter.params);
      params.push(layer.id);
      const text = (name: string) => (columns.has(name) ? `t.${ident(name)}` : 'NULL');
      const others = ['name_en', 'full_name_vi', 'number'].filter((c) => columns.has(c)).map((c) => `t.${ident(c)}`);
      if (columns.has('aliases')) others.push("array_to_string(t.aliases, ' ')");
      const g = `t.${ident(layer.geometryColumn)}`;
      parts.push(
        `SELECT $${params.length}::text AS layer, t.id::text AS id, t.name_vi, ${text('name_en')} AS name_en, ` +
          `${text('status')} AS status, ${columns.has('kind') ? 't.kind' : columns.has('gate_type') ? 't.gate_type' : columns.has('unit_type') ? 't.unit_type' : 'NULL'} AS kind, ` +
          `concat_ws(' ', ${others.join(', ') || "''"}) AS other_names, ` +
          `ST_XMin(${g}) AS min_lon, ST_YMin(${g}) AS min_lat, ST_XMax(${g}) AS max_lon, ST_YMax(${g}) AS max_lat ` +
          `FROM ${ident(layer.table.name)} t WHERE ${where}`,
      );
    }
    const rows = await this.db.query<{
      layer: string;
      id: string;
      name_vi: string;
      name_en: string | null;
      status: string | null;
      kind: string | null;
      other_names: string;
      min_lon: number;
      min_lat: number;
      max_lon: number;
      max_lat: number;
    }>(parts.join(' UNION ALL '), params);
    const thematic = new Set(this.layers.filter((l) => l.group === 'thematic').map((l) => l.id));
    this.entries = rows.map((r) => ({
      layer: r.layer,
      id: r.id,
      name: { vi: r.name_vi, en: r.name_en },
      status: r.status,
      kind: r.kind,
      bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
      folded: fold(r.name_vi),
      nameTokens: fold(r.name_vi).split(' '),
      otherTokens: fold(r.other_names).split(' ').filter(Boolean),
      thematic: thematic.has(r.layer),
    }));
    this.builtFor = signature;
  }
}

const wordsStartWith = (words: string[], tokens: string[]) => tokens.every((t) => words.some((w) => w.startsWith(t)));

// A token of 4+ letters may be one typo away from a word (or a word's start).
const nearWord = (words: string[], token: string) =>
  words.some((w) => w.startsWith(token) || (token.length >= 4 && (editDistance(token, w, 1) <= 1 || editDistance(token, w.slice(0, token.length), 1) <= 1)));

function scoreEntry(e: Entry, q: string, tokens: string[]): number {
  if (e.folded === q) return EXACT;
  if (e.folded.startsWith(q)) return NAME_PREFIX;
  if (` ${e.folded}`.includes(` ${q}`)) return NAME_PHRASE;
  if (wordsStartWith(e.nameTokens, tokens)) return NAME_WORDS;
  const all = [...e.nameTokens, ...e.otherTokens];
  if (wordsStartWith(all, tokens)) return OTHER_WORDS;
  if (tokens.every((t) => nearWord(all, t))) return NEAR_WORDS;
  return 0;
}
