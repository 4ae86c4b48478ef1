// Query parameters of /ogc/collections/{id}/items, as one strict zod schema per layer:
// the OGC parameters plus an equality filter for each public scalar field. Unknown or
// malformed parameters are 400s naming the parameter, never a database error.
import { z } from 'zod';
import type { LayerSpec } from '../layers/registry.ts';
import { publicFields, type Field } from '../layers/tables.ts';
import { CRS84, crsUris, findCrs, type Crs } from './crs.ts';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 10_000;

export const formatParam = z.enum(['json', 'geojson', 'html']).optional();

const count = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number`)
    .transform(Number)
    .refine((n) => n <= max, `${name} must be at most ${max}`);

const crsParam = z.enum(crsUris as [string, ...string[]], {
  error: () => `must be one of ${crsUris.join(', ')}`,
});

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

/** RFC 3339 instant, or interval `start/end` with `..` (or nothing) for an open end. */
export const datetimeParam = z.string().transform((text, ctx) => {
  const parts = text.split('/');
  const valid = (p: string) => DATE_TIME.test(p) && !Number.isNaN(Date.parse(p));
  const open = (p: string) => p === '..' || p === '';
  if (parts.length === 1 && valid(parts[0]!)) return { start: parts[0]!, end: parts[0]! };
  if (parts.length === 2 && parts.every((p) => valid(p) || open(p)) && !parts.every(open)) {
    const [start, end] = parts.map((p) => (open(p) ? null : p)) as [string | null, string | null];
    if (start && end && Date.parse(start) > Date.parse(end)) {
      ctx.addIssue({ code: 'custom', message: 'has its start after its end.' });
      return z.NEVER;
    }
    return { start, end };
  }
  ctx.addIssue({ code: 'custom', message: "must be a date-time (RFC 3339, e.g. 2024-05-01 or 2024-05-01T00:00:00Z) or an interval 'start/end' with '..' for an open end." });
  return z.NEVER;
});

export type Datetime = { start: string | null; end: string | null };

const FILTER_VALUES: Partial<Record<Field['type'], z.ZodType<string>>> = {
  text: z.string(),
  number: z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a number'),
  integer: z.string().regex(/^-?\d{1,9}$/, 'must be a whole number'),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)), 'must be a real date'),
};

/** Public fields a client may filter on by equality (`?status=operating`). */
export const filterableFields = (layer: LayerSpec): Field[] => publicFields(layer.table).filter((f) => FILTER_VALUES[f.type]);

export function itemsSchema(layer: LayerSpec) {
  const filters = Object.fromEntries(filterableFields(layer).map((f) => [f.name, FILTER_VALUES[f.type]!.optional()]));
  return z.object({
    f: formatParam,
    limit: count('limit', MAX_LIMIT).refine((n) => n >= 1, 'limit must be at least 1').optional(),
    offset: count('offset', 1_000_000_000).optional(),
    bbox: z.string().optional(),
    'bbox-crs': crsParam.optional(),
    crs: crsParam.optional(),
    ...(layer.temporalField ? { datetime: datetimeParam.optional() } : {}),
    ...filters,
  });
}

export const itemSchema = z.object({ f: formatParam, crs: crsParam.optional() });

export type ItemsQuery = {
  limit: number;
  offset: number;
  /** lon/lat order when bboxCrs is CRS84 or EPSG:4326; easting/northing for EPSG:3405. */
  bbox?: [number, number, number, number];
  bboxCrs: Crs;
  crs: Crs;
  datetime?: Datetime;
  filters: { field: Field; value: string }[];
};

/** Reads a parsed items query into the form the queries use; bbox checked per its CRS. */
export function toItemsQuery(layer: LayerSpec, parsed: Record<string, unknown>, fail: (message: string) => Error): ItemsQuery {
  const bboxCrs = findCrs((parsed['bbox-crs'] as string | undefined) ?? CRS84)!;
  const query: ItemsQuery = {
    limit: (parsed.limit as number | undefined) ?? DEFAULT_LIMIT,
    offset: (parsed.offset as number | undefined) ?? 0,
    bboxCrs,
    crs: findCrs((parsed.crs as string | undefined) ?? CRS84)!,
    datetime: parsed.datetime as Datetime | undefined,
    filters: filterableFields(layer)
      .filter((field) => parsed[field.name] !== undefined)
      .map((field) => ({ field, value: parsed[field.name] as string })),
  };
  if (parsed['bbox-crs'] !== undefined && parsed.bbox === undefined) throw fail("Query parameter 'bbox-crs' needs a 'bbox'.");
  if (typeof parsed.bbox === 'string') query.bbox = parseBbox(parsed.bbox, bboxCrs, fail);
  return query;
}

function parseBbox(text: string, crs: Crs, fail: (message: string) => Error): [number, number, number, number] {
  const parts = text.split(',');
  if (parts.length !== 4 && parts.length !== 6) {
    throw fail(`Query parameter 'bbox' must have 4 (or 6, with heights) comma-separated numbers; got ${parts.length} value(s).`);
  }
  const numbers = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const bad = numbers.findIndex((n) => !Number.isFinite(n));
  if (bad >= 0) throw fail(`Query parameter 'bbox' value ${bad + 1} ('${parts[bad]}') is not a number.`);
  // Heights (6 values: x1,y1,z1,x2,y2,z2) are ignored: our data is 2D.
  let [a, b, c, d] = (parts.length === 6 ? [numbers[0], numbers[1], numbers[3], numbers[4]] : numbers) as [number, number, number, number];
  if (crs.latLon) [a, b, c, d] = [b, a, d, c];
  if (a > c || b > d) throw fail("Query parameter 'bbox' has a lower corner above or right of its upper corner.");
  if (crs.srid === 4326 && (a < -180 || c > 180 || b < -90 || d > 90)) {
    throw fail("Query parameter 'bbox' is outside -180…180 (longitude) / -90…90 (latitude).");
  }
  return [a, b, c, d];
}
