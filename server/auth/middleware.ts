// Who is asking, and may they? Resolves the session cookie into req.user and the
// audience of every read, and guards writes against cross-site requests.
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Database } from '../db/adapter.ts';
import { HttpError } from '../http/errors.ts';
import type { Audience } from '../layers/tables.ts';
import { readCookie, resolveSession, SESSION_COOKIE, type SessionUser } from './sessions.ts';
import { atLeast, type Role } from './users.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in user; undefined for the public. */
    user?: SessionUser;
    /** 'internal' for every signed-in role (viewer and up), else 'public'. */
    audience: Audience;
    csrfToken?: string;
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticate(db: Database): RequestHandler {
  return async (req, _res, next) => {
    req.audience = 'public';
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    // Public requests carry no cookie and cost no database round trip.
    if (token) {
      const session = await resolveSession(db, token);
      if (session) {
        req.user = session.user;
        req.csrfToken = session.csrfToken;
        req.audience = 'internal';
      }
    }
    next();
  };
}

/**
 * Writes must come from our own pages: a browser says where a request comes from
 * (Sec-Fetch-Site, Origin), and a signed-in write must echo the session's CSRF token,
 * which a page of another site cannot read.
 */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  if (req.headers['sec-fetch-site'] === 'cross-site') throw forbidden('Cross-site requests may not change anything.', 'cross_site_request');
  const origin = req.headers.origin;
  if (origin !== undefined && hostOf(origin) !== req.headers.host) {
    throw forbidden(`Requests from ${origin} may not change anything here.`, 'cross_site_request');
  }
  if (req.user && !sameToken(req.headers[CSRF_HEADER], req.csrfToken!)) {
    throw forbidden('Missing or wrong X-CSRF-Token header; get the token from GET /api/auth/session.', 'csrf_failed');
  }
  next();
};

export const requireRole =
  (role: Role): RequestHandler =>
  (req, _res, next) => {
    if (!req.user) throw new HttpError(401, 'authentication_required', 'Sign in first.');
    if (!atLeast(req.user.role, role)) throw forbidden(`This needs the ${role} role; you are ${req.user.role}.`, 'forbidden');
    next();
  };

/** Headers of a response whose body depends on who asks (internal fields or not). */
export function setAudienceHeaders(req: Request, res: Response, publicCacheControl = 'public, no-cache'): void {
  res.setHeader('Cache-Control', req.user ? 'private, no-cache' : publicCacheControl);
  res.vary('Cookie');
}

// 'null' (opaque origins) and garbage have no host, and so never match ours.
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

const forbidden = (detail: string, code: string) => new HttpError(403, code, detail);

function sameToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
