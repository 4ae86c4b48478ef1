// Reads and validates the hand-maintained catalogue (geodata/catalogue/*.json). The
// builder turns it into layers; the truth checks read it for their recorded exceptions.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  baseCatalogueFiles,
  catalogueFiles,
  sourceRecord,
  type BaseCatalogueName,
  type CatalogueName,
  type CheckExceptions,
  type GeometryRecipe,
  type SourceRecord,
} from './catalogue-schema.ts';

/** What every catalogue record has, whatever its file. */
export type CatalogueRecord = {
  id: string;
  sources: string[];
  geometry: GeometryRecipe;
  check_exceptions?: CheckExceptions | undefined;
};

type Records<Files extends Record<string, z.ZodType>> = { [K in keyof Files]: z.infer<Files[K]>[] };

export type Catalogue = {
  seeded: Records<typeof catalogueFiles>;
  base: Records<typeof baseCatalogueFiles>;
  sources: SourceRecord[];
};

export const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

export function readCatalogue(root: string): Catalogue {
  const parse = <S extends z.ZodType>(name: string, schema: S): z.infer<S>[] => {
    const file = `geodata/catalogue/${name}.json`;
    const records = z.array(schema).parse(readJson(path.join(root, file))) as { id: string }[];
    const duplicate = findDuplicate(records.map((r) => r.id));
    if (duplicate) throw new Error(`${file}: id ${duplicate} appears twice`);
    return records as z.infer<S>[];
  };
  const each = <Files extends Record<string, z.ZodType>>(files: Files) =>
    Object.fromEntries(Object.entries(files).map(([name, schema]) => [name, parse(name, schema)])) as Records<Files>;
  return {
    seeded: each(catalogueFiles),
    base: each(baseCatalogueFiles),
    sources: z.array(sourceRecord).parse(readJson(path.join(root, 'geodata/catalogue/sources.json'))),
  };
}

export const seededNames = Object.keys(catalogueFiles) as CatalogueName[];
export const baseNames = Object.keys(baseCatalogueFiles) as BaseCatalogueName[];

export function findDuplicate(values: string[]): string | undefined {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return undefined;
}
