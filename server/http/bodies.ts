// Request bodies are bounded, and every bound is here. Each route that reads a body
// parses it with its own limit (413 before the body is read whole when it announces a
// larger length, and as soon as a chunked body passes the limit). In front of every
// route, a body announced larger than the largest limit is refused before a byte of it
// is read, so a route that takes no body cannot be made to swallow gigabytes either.
// All answer 413 as JSON {error: 'payload_too_large'} (errors.ts).
import express, { type RequestHandler } from 'express';
import { badRequest, HttpError } from './errors.ts';
import { NUL_REFUSED } from './validate.ts';

const MB = 1024 * 1024;

export const BODY_LIMITS = {
  /** A JSON request: an edit with a detailed geometry fits well within it. */
  json: 10 * MB,
  /** A survey coordinate list to convert (POST /api/vn2000/parcel). */
  coordinateList: 1 * MB,
  /** A file to import, sent as the body itself (the client says "up to 50 MB"). */
  importFile: 50 * MB,
} as const;

const LARGEST_BODY = Math.max(...Object.values(BODY_LIMITS));

/**
 * JSON parser for a route, then a refusal of text with NUL, which PostgreSQL text cannot
 * hold. (Not in a JSON.parse reviver: body-parser strips the properties of any error
 * thrown there, so it would reach the client as an empty 400.)
 */
export const jsonBody = (limit: number = BODY_LIMITS.json): RequestHandler[] => [
  express.json({ limit }),
  (req, _res, next) => next(holdsNul(req.body) ? badRequest(NUL_REFUSED, 'invalid_character') : undefined),
];

// Walked with a list, not recursion: JSON nested thousands deep would overflow the stack.
function holdsNul(body: unknown): boolean {
  const pending = [body];
  while (pending.length) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/** The raw body of any type: an imported file. */
export const importFileBody: RequestHandler = express.raw({ type: () => true, limit: BODY_LIMITS.importFile });

export const refuseOversizedBodies: RequestHandler = (req, res, next) => {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > LARGEST_BODY) {
    // Closing the connection spares reading the body just to keep the connection alive.
    res.setHeader('Connection', 'close');
    next(new HttpError(413, 'payload_too_large', `The request body is too large (${declared} bytes; at most ${LARGEST_BODY}).`));
    return;
  }
  next();
};
