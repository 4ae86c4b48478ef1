// A few hundred synthetic parcels, loaded through the bulk import path: enough to page
// through and to fill tiles, small enough for a 2-core machine.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../server/db/adapter.ts';
import { importFeatures, type ImportReport } from '../../server/import/bulk.ts';
import { tables } from '../../server/layers/tables.ts';
import { geodataDir } from '../../server/prepare.ts';
import { provinceRings, upsertSyntheticSource } from '../../scripts/parcels/province.ts';
import { syntheticParcels, type ParcelOptions } from '../../scripts/parcels/synthetic.ts';

export const provinceOutline = () =>
  provinceRings(JSON.parse(fs.readFileSync(path.join(geodataDir, 'base/lang_son_province.geojson'), 'utf8')));

/** Around Lạng Sơn city: parcels there fill tiles up to z 16. */
export const CITY_BOX: [number, number, number, number] = [106.72, 21.82, 106.80, 21.88];

export const testParcels = (options: Partial<ParcelOptions> = {}) =>
  syntheticParcels({ count: 300, rings: provinceOutline(), within: CITY_BOX, batchSize: 120, ...options });

export async function loadTestParcels(db: Database, options: Partial<ParcelOptions> = {}): Promise<ImportReport> {
  await upsertSyntheticSource(db);
  return importFeatures(db, tables.parcels, testParcels(options), { replace: true });
}
