// What crosses from a parse worker to the request thread (read-upload.ts): each feature
// with its geometry as text — GeoJSON as in the file, or the WKT of a CSV cell. Text
// crosses threads as one copy and is held compactly; the same geometries as objects cost
// the request thread ~4 times the file's size (200 MB for a 48 MB file) and a long pause
// to copy. The import parses one geometry at a time where it must look inside.
import { isWkt } from './formats/csv.ts';
import type { ImportedFeature, ReadResult } from './formats/format.ts';

export type UploadedFeature = Omit<ImportedFeature, 'geometry'> & { geometry: { geojson: string } | { wkt: string } | null };
export type UploadRead = Omit<ReadResult, 'features'> & { features: UploadedFeature[] };

export const uploadedFeature = ({ geometry, ...feature }: ImportedFeature): UploadedFeature => ({
  ...feature,
  geometry: geometry === null || geometry === undefined ? null : isWkt(geometry) ? { wkt: geometry.wkt } : { geojson: JSON.stringify(geometry) },
});
