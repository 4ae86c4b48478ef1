// How complete the zones' figures are: for every park and cluster, each collected figure
// is present, missing, stale (its zone's source is older than the threshold) or, for
// the public, not public (hidden for that zone: neither its value nor whether it is known
// is told). Missing figures say since when (the date the field was last emptied, or the
// zone first recorded without it), present ones when they were last recorded; every
// zone says who is asked for its figures. The client's filters, charts and tables count
// from the same rules; planners work from the per-zone list (the Data gaps view).
import type { Database } from '../db/adapter.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { Field } from '../layers/tables.ts';
import type { Audience } from '../layers/tables.ts';
import type { Title } from '../layers/vocabulary.ts';
import { bodies, bodyOf, collectedFields, type Body, type BodyId, type CollectedField } from './collection.ts';
import { FIELD_CHANGES_SQL, zonesSql } from './queries.ts';

export type FieldState = 'present' | 'missing' | 'stale' | 'not_public';

export type FigureCompleteness = {
  state: FieldState;
  /** Missing since (YYYY-MM-DD, Vietnam), or null when not told. */
  since: string | null;
  /**
   * Present or stale: when the value was last recorded here (YYYY-MM-DD, Vietnam), or null
   * when not told. What the value is as of is the zone's source_date.
   */
  recorded: string | null;
};

export type ZoneCompleteness = {
  layer: string;
  id: string;
  name_vi: string;
  name_en: string;
  communes: string[];
  body: BodyId;
  source_date: string | null;
  fields: Record<CollectedField, FigureCompleteness>;
  missing: number;
  stale: number;
};

export type LayerCompleteness = {
  layer: string;
  title: Title;
  zones: number;
  /** Per field, how many zones of the layer lack it / have it only stale / hide it. */
  missing: Record<CollectedField, number>;
  stale: Record<CollectedField, number>;
  not_public: Record<CollectedField, number>;
};

export type Completeness = {
  generated_at: string;
  /** A figure is stale when its zone's source_date is before this day. */
  stale_before: string;
  stale_after_days: number;
  audience: Audience;
  fields: { name: CollectedField; title: Title; unit: Field['unit'] | null }[];
  bodies: readonly Body[];
  layers: LayerCompleteness[];
  zones: ZoneCompleteness[];
};

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Today in Vietnam (UTC+7), less `days`. */
export function daysAgo(days: number, now = Date.now()): string {
  return new Date(now + 7 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);
}

export async function buildCompleteness(db: Database, zoneLayers: readonly LayerSpec[], audience: Audience, staleAfterDays: number): Promise<Completeness> {
  const kinds = zoneLayers.flatMap((l) => l.where?.values ?? []);
  const names = collectedFields.map((f) => f.name as CollectedField);
  const rows = await db.query<{ id: string; kind: string; properties: Record<string, unknown> }>(zonesSql(zoneLayers[0]!, audience), [kinds]);
  const changed = new Map<string, string>();
  for (const c of await db.query<{ id: string; field: string; changed: string }>(FIELD_CHANGES_SQL, [names])) changed.set(`${c.id}|${c.field}`, c.changed);
  const staleBefore = daysAgo(staleAfterDays);

  const zones: ZoneCompleteness[] = rows.map((r) => {
    const p = r.properties;
    const sourceDate = (p.source_date as string | undefined) ?? null;
    const fields = {} as Record<CollectedField, FigureCompleteness>;
    for (const name of names) {
      const date = changed.get(`${r.id}|${name}`) ?? null;
      if (!(name in p)) fields[name] = { state: 'not_public', since: null, recorded: null };
      else if (isEmpty(p[name])) fields[name] = { state: 'missing', since: date, recorded: null };
      else fields[name] = { state: sourceDate !== null && sourceDate < staleBefore ? 'stale' : 'present', since: null, recorded: date };
    }
    const count = (state: FieldState) => names.filter((n) => fields[n].state === state).length;
    return {
      layer: zoneLayers.find((l) => l.where?.values.includes(r.kind))!.id,
      id: r.id,
      name_vi: String(p.name_vi),
      name_en: String(p.name_en),
      communes: (p.communes as string[] | undefined) ?? [],
      body: bodyOf(r.kind).id,
      source_date: sourceDate,
      fields,
      missing: count('missing'),
      stale: count('stale'),
    };
  });

  const per = (members: ZoneCompleteness[], state: FieldState) =>
    Object.fromEntries(names.map((n) => [n, members.filter((z) => z.fields[n].state === state).length])) as Record<CollectedField, number>;
  const layers = zoneLayers.map((l) => {
    const members = zones.filter((z) => z.layer === l.id);
    return { layer: l.id, title: l.title, zones: members.length, missing: per(members, 'missing'), stale: per(members, 'stale'), not_public: per(members, 'not_public') };
  });
  return {
    generated_at: new Date().toISOString(),
    stale_before: staleBefore,
    stale_after_days: staleAfterDays,
    audience,
    fields: collectedFields.map((f) => ({ name: f.name as CollectedField, title: f.title, unit: f.unit ?? null })),
    bodies,
    layers,
    zones,
  };
}
