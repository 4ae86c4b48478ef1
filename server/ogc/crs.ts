// Coordinate reference systems offered by OGC API – Features Part 2. Data is stored in
// EPSG:4326 with lon/lat order (= CRS84). EPSG:4326 as a URI means lat/lon order, as
// its definition says. EPSG:3405 (VN-2000 / UTM 48N, easting/northing in metres) lets
// Vietnamese users work in their national system; PostGIS's definition carries the
// 7-parameter shift to WGS 84.
import type { OutputCrs } from '../layers/queries.ts';

export type Crs = OutputCrs & { uri: string; title: string };

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export const supportedCrs: readonly Crs[] = [
  { uri: CRS84, title: 'WGS 84 (lon, lat)', srid: 4326, latLon: false, decimals: 6 },
  { uri: 'http://www.opengis.net/def/crs/EPSG/0/4326', title: 'WGS 84 (lat, lon)', srid: 4326, latLon: true, decimals: 6 },
  // Centimetres: below any survey accuracy here.
  { uri: 'http://www.opengis.net/def/crs/EPSG/0/3405', title: 'VN-2000 / UTM zone 48N', srid: 3405, latLon: false, decimals: 2 },
];

export const crsUris = supportedCrs.map((c) => c.uri);

export const findCrs = (uri: string): Crs | undefined => supportedCrs.find((c) => c.uri === uri);
