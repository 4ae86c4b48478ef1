// Named SQL of the reports.
import { propertiesSql } from '../layers/queries.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fieldsFor, type Audience } from '../layers/tables.ts';

/** Zones of the given kinds ($1) with the properties the audience may see. */
export function zonesSql(layer: LayerSpec, audience: Audience): string {
  const props = propertiesSql(layer, fieldsFor(layer.table, audience), audience);
  return `SELECT t.id::text AS id, t.kind, ${props} AS properties FROM zones t WHERE t.kind = ANY($1::text[]) ORDER BY t.kind DESC, t.name_vi`;
}

/**
 * When each of the fields $1 of each zone last changed — was first given, changed, or
 * emptied — as a calendar date in Vietnam (UTC+7), from the change history.
 */
export const FIELD_CHANGES_SQL = `
  SELECT h.feature_id AS id, f.name AS field, to_char(max(h.at) AT TIME ZONE INTERVAL '+07:00', 'YYYY-MM-DD') AS changed
  FROM feature_history h CROSS JOIN unnest($1::text[]) AS f(name)
  WHERE h.table_name = 'zones' AND h.after IS NOT NULL
    AND (h.before IS NULL OR (h.before -> f.name) IS DISTINCT FROM (h.after -> f.name))
  GROUP BY h.feature_id, f.name`;
