// A few hundred synthetic parcels, loaded through the bulk import path: enough to page
// through and to fill tiles, small enough for a 2-core machine.
import type { Database } from '../../server/db/adapter.ts';
import type { ImportReport } from '../../server/import/bulk.ts';
import { loadSyntheticParcels, provinceRings } from '../../scripts/parcels/province.ts';
import { syntheticParcels, type ParcelOptions } from '../../scripts/parcels/synthetic.ts';

/** Around Lạng Sơn city: parcels there fill tiles up to z 16. */
const CITY_BOX: [number, number, number, number] = [106.72, 21.82, 106.8, 21.88];
const defaults = { count: 300, within: CITY_BOX, batchSize: 120 };

export const testParcels = (options: Partial<ParcelOptions> = {}) => syntheticParcels({ ...defaults, rings: provinceRings(), ...options });

export const loadTestParcels = (db: Database, options: Partial<Omit<ParcelOptions, 'rings'>> = {}): Promise<ImportReport> =>
  loadSyntheticParcels(db, { ...defaults, ...options });
