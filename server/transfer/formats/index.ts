// Every file format the import and export speak, in one list.
import { csv, csvLonLat } from './csv.ts';
import type { FileFormat } from './format.ts';
import { geojson } from './geojson.ts';
import { kml, kmz } from './kml.ts';
import { shapefile } from './shapefile.ts';
import { xlsx } from './xlsx.ts';

export const formats: readonly FileFormat[] = [geojson, kml, kmz, shapefile, csv, csvLonLat, xlsx];

export const formatById = (id: string) => formats.find((f) => f.id === id);

export const formatForFile = (name: string) => {
  const lower = name.toLowerCase();
  return formats.find((f) => f.read && f.extensions.some((e) => lower.endsWith(e)));
};
