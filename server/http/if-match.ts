// Optimistic concurrency: a write names the version it was made from as a strong
// entity tag (If-Match: "3"); a write that names none is refused, so no change is lost.
import type { Request } from 'express';
import { badRequest, HttpError } from './errors.ts';

export function optionalVersion(req: Request): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*"(\d{1,9})"\s*$/.exec(header);
  if (!match) throw badRequest(`If-Match must be the version as an entity tag, e.g. "3"; got ${header}.`, 'invalid_if_match');
  return Number(match[1]);
}

export function requiredVersion(req: Request): number {
  const version = optionalVersion(req);
  if (version === undefined) {
    throw new HttpError(428, 'precondition_required', 'Send If-Match with the version you edited (e.g. If-Match: "3"), so no change is lost.');
  }
  return version;
}
