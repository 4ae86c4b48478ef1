// The province outline as plain rings, and the source row that synthetic parcels cite.
import type { Queryable } from '../../server/db/adapter.ts';
import { SYNTHETIC_SOURCE, type Ring } from './synthetic.ts';

type Outline = { features: { geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] } }[] };

export function provinceRings(outline: Outline): Ring[] {
  return outline.features.flatMap(({ geometry }) =>
    geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat(),
  );
}

export async function upsertSyntheticSource(db: Queryable): Promise<void> {
  const s = SYNTHETIC_SOURCE;
  await db.query(
    `INSERT INTO sources (key, title, publisher, published, url, licence, note) VALUES ($1, $2, $3, $4, NULL, $5, NULL)
     ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title`,
    [s.key, s.title, s.publisher, s.published, s.licence],
  );
}
