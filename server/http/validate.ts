import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { badRequest } from './errors.ts';

/** PostgreSQL text cannot hold NUL (U+0000): a value with one would fail in the database. */
export const NUL_REFUSED = 'Text may not contain the NUL character (U+0000).';

/** Refuses a NUL anywhere in the path or query (as %00) before any route reads it. */
export const refuseNulInUrl: RequestHandler = (req, _res, next) => {
  next(/%00/i.test(req.url) ? badRequest(NUL_REFUSED, 'invalid_character') : undefined);
};

/**
 * Parses req.query with a strict schema: unknown parameters are an error (they are
 * usually typos that would otherwise be silently ignored), repeated ones too.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, req: Request): z.infer<S> {
  // Most requests have no query string: skip Express's parsing (this is the hot path).
  const query = (req.url.includes('?') ? req.query : {}) as Record<string, unknown>;
  const allowed = Object.keys(schema.shape);
  for (const [key, value] of Object.entries(query)) {
    if (!allowed.includes(key)) {
      throw badRequest(
        `Unknown query parameter '${key}'. Allowed: ${allowed.length ? allowed.join(', ') : '(none)'}.`,
        'unknown_parameter',
      );
    }
    if (typeof value !== 'string') throw badRequest(`Query parameter '${key}' must be given once, as plain text.`);
  }
  const result = schema.safeParse(query);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? `Query parameter '${issue.path.join('.')}' ` : '';
    throw badRequest(`${where}${issue.message}`);
  }
  return result.data;
}

/** `minLon,minLat,maxLon,maxLat` in WGS 84 degrees (RFC 7946 / OGC order). */
export const bboxParam = z.string().transform((text, ctx) => {
  const parts = text.split(',');
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (parts.length !== 4) {
    return fail(`must be minLon,minLat,maxLon,maxLat (4 comma-separated numbers); got ${parts.length} value(s).`);
  }
  const numbers = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const bad = numbers.findIndex((n) => !Number.isFinite(n));
  if (bad >= 0) return fail(`value ${bad + 1} ('${parts[bad]}') is not a number.`);
  const [minLon, minLat, maxLon, maxLat] = numbers as [number, number, number, number];
  if (minLon < -180 || maxLon > 180) return fail('has longitudes outside -180…180.');
  if (minLat < -90 || maxLat > 90) return fail('has latitudes outside -90…90.');
  if (minLat > maxLat) return fail('has minLat greater than maxLat.');
  if (minLon > maxLon) return fail('has minLon greater than maxLon (boxes across the antimeridian are not supported).');
  return [minLon, minLat, maxLon, maxLat] as const;
});

export type Bbox = readonly [number, number, number, number];

/** Parses a JSON request body with a schema; the first problem becomes a 400 naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? `'${issue.path.join('.')}': ` : '';
    throw badRequest(`Request body ${where}${issue.message}`, 'invalid_body');
  }
  return result.data;
}

/** A path parameter checked with a schema (400 naming it when wrong). */
export function parseParam<S extends z.ZodType>(schema: S, value: unknown, name: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(`Path parameter '${name}' ${result.error.issues[0]!.message}`);
  return result.data;
}
