// Typed HTTP errors: a status, a stable code clients can translate, and a detail
// sentence safe to show. One middleware turns them (and anything else) into JSON.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DatabaseUnavailableError, QueryCancelledError, StatementTimeoutError } from '../db/adapter.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    /** More of the body for the client (per-field problems, both versions of a conflict). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

/**
 * A refusal the client should retry after a while, said in Retry-After: 503 (the server
 * or its database cannot answer now) or 429 (this caller sent too much).
 */
export class RetryLaterError extends HttpError {
  constructor(
    status: 429 | 503,
    code: string,
    detail: string,
    readonly retryAfterSeconds: number,
    extra: Record<string, unknown> = {},
  ) {
    super(status, code, detail, extra);
  }
}

export const badRequest = (detail: string, code = 'invalid_parameter') => new HttpError(400, code, detail);
export const notFound = (detail: string, code = 'not_found') => new HttpError(404, code, detail);
export const unavailable = (code: string, detail: string, retryAfterSeconds: number) => new RetryLaterError(503, code, detail, retryAfterSeconds);

// A database restart takes seconds; clients are asked to come back after that.
const DATABASE_RETRY_AFTER_SECONDS = 5;

export type ErrorBody = { error: string; detail: string };

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(notFound(`No API route for ${req.method} ${req.path}`, 'route_not_found'));
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof QueryCancelledError) {
      // The client has gone: there is no one to answer.
      logger.debug({ reqId: req.id, path: req.path }, 'request abandoned by the client');
      if (!res.headersSent) res.status(499).end();
      else res.destroy();
      return;
    }
    const known = toHttpError(err);
    if (known instanceof RetryLaterError && known.status === 503) {
      // Expected while overloaded or while the database restarts: one line, no stack.
      logger.warn({ reqId: req.id, path: req.path, code: known.code, reason: (err as Error).message }, 'request refused: unavailable');
    } else if (known.status >= 500) {
      logger.error({ err, reqId: req.id, path: req.path }, 'request failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body: ErrorBody = { ...known.extra, error: known.code, detail: known.detail };
    res.status(known.status).type('application/json').setHeader('Cache-Control', 'no-store');
    if (known instanceof RetryLaterError) res.setHeader('Retry-After', String(known.retryAfterSeconds));
    res.send(JSON.stringify(body));
  };
}

// Body-parser and Express raise errors with a `status` and `type`; map the ones a
// client can cause to 4xx, everything else to a 500 that reveals nothing internal.
function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof DatabaseUnavailableError) {
    return unavailable('database_unavailable', 'The database cannot be reached right now; try again shortly.', DATABASE_RETRY_AFTER_SECONDS);
  }
  if (err instanceof StatementTimeoutError) {
    return unavailable('statement_timeout', `The request needed more than ${err.timeoutMs / 1000} s of database work and was stopped; narrow it (a smaller area, fewer features) or try again later.`, DATABASE_RETRY_AFTER_SECONDS);
  }
  const e = err as { status?: number; type?: string; message?: string };
  if (e?.type === 'entity.parse.failed') return new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  if (e?.type === 'entity.too.large') return new HttpError(413, 'payload_too_large', 'The request body is too large.');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new HttpError(e.status, 'bad_request', e.message ?? 'Bad request.');
  }
  return new HttpError(500, 'internal_error', 'Unexpected server error; it has been logged.');
}
