// Loading synthetic parcels inside the province: its outline as plain rings, the source
// row the parcels cite, and the bulk import itself (CLI, benchmark and tests share it).
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../server/db/adapter.ts';
import { importFeatures, type ImportReport } from '../../server/import/bulk.ts';
import { tables } from '../../server/layers/tables.ts';
import { geodataDir } from '../../server/prepare.ts';
import { SYNTHETIC_SOURCE, syntheticParcels, type ParcelOptions, type Ring } from './synthetic.ts';

type Outline = { features: { geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] } }[] };

export function provinceRings(): Ring[] {
  const outline = JSON.parse(fs.readFileSync(path.join(geodataDir, 'base/lang_son_province.geojson'), 'utf8')) as Outline;
  return outline.features.flatMap(({ geometry }) =>
    geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat(),
  );
}

/** Replaces the parcels with `count` synthetic ones, through the bulk import. */
export async function loadSyntheticParcels(
  db: Database,
  options: Omit<ParcelOptions, 'rings'> & { onBatch?: (loaded: number) => void },
): Promise<ImportReport> {
  const s = SYNTHETIC_SOURCE;
  await db.query(
    `INSERT INTO sources (key, title, publisher, published, url, licence, note) VALUES ($1, $2, $3, $4, NULL, $5, NULL)
     ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title`,
    [s.key, s.title, s.publisher, s.published, s.licence],
  );
  const report = await importFeatures(db, tables.parcels, syntheticParcels({ ...options, rings: provinceRings() }), {
    replace: true,
    onBatch: options.onBatch,
  });
  // Outside the import's transaction: statistics, and the visibility map for index-only scans.
  await db.exec('VACUUM ANALYZE parcels');
  return report;
}
