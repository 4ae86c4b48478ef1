import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ImportFileError, MAX_IMPORT_FEATURES, type FileFormat } from '../../../../server/transfer/formats/format.ts';
import { formatById } from '../../../../server/transfer/formats/index.ts';
import { placemarksKml, placemarksKmz, pointsCsv, pointsGeoJson, pointsShapefile } from '../../../../scripts/reliability/hostile-uploads.ts';

const read = (format: string, bytes: Uint8Array | string) => (formatById(format) as Required<FileFormat>).read(typeof bytes === 'string' ? strToU8(bytes) : bytes);
const refusal = async (format: string, bytes: Uint8Array | string) => {
  const error = await Promise.resolve()
    .then(() => read(format, bytes))
    .then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ImportFileError);
  return error as ImportFileError;
};

describe(`the cap of ${MAX_IMPORT_FEATURES} features, applied while reading`, () => {
  const over = MAX_IMPORT_FEATURES + 1;
  it.each([
    ['geojson', () => pointsGeoJson(over)],
    ['csv', () => pointsCsv(over)],
    ['shapefile', () => pointsShapefile(over)],
    ['kml', () => placemarksKml(over)],
    ['kmz', () => placemarksKmz(over)],
  ])('refuses %s with one feature too many', async (format, file) => {
    const error = await refusal(format, await file());
    expect(error.code).toBe('too_many_features');
    expect(error.text.vi).toBe(`Tệp có quá ${MAX_IMPORT_FEATURES} đối tượng.`);
    expect(error.text.en).toBe(`The file holds more than ${MAX_IMPORT_FEATURES} features.`);
  });

  it.each([
    ['geojson', () => pointsGeoJson(MAX_IMPORT_FEATURES)],
    ['csv', () => pointsCsv(MAX_IMPORT_FEATURES)],
    ['shapefile', () => pointsShapefile(MAX_IMPORT_FEATURES)],
  ])('reads %s with exactly as many features as the cap', async (format, file) => {
    expect((await read(format, await file())).features).toHaveLength(MAX_IMPORT_FEATURES);
  });

  it('refuses a 60 KB KMZ of 200,000 placemarks without building them (memory stays bounded)', async () => {
    const kmz = placemarksKmz(200_000);
    expect(kmz.length).toBeLessThan(100_000);
    const before = process.memoryUsage().rss;
    expect((await refusal('kmz', kmz)).code).toBe('too_many_features');
    // Its DOM would take gigabytes; the text it is counted in takes 15 MB.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('counts placemarks with a namespace prefix too', async () => {
    const kml = placemarksKml(over).replaceAll('<Placemark>', '<kml:Placemark>').replaceAll('</Placemark>', '</kml:Placemark>');
    expect((await refusal('kml', kml)).code).toBe('too_many_features');
  });
});
