// /api/auth/* (sign in, sign out, who am I) and /api/users (admins manage users).
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/adapter.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { parseBody, parseParam, parseQuery } from '../http/validate.ts';
import { checkLogin, LOGIN_WINDOW_SECONDS } from './login.ts';
import { requireRole } from './middleware.ts';
import { createSession, deleteSession, readCookie, SESSION_COOKIE, sessionCookie } from './sessions.ts';
import {
  createUser,
  deleteUser,
  listUsers,
  passwordSchema,
  resetPassword,
  roleSchema,
  setRole,
  usernameSchema,
  UserError,
} from './users.ts';

export type AuthOptions = {
  sessionTtlHours: number;
  /** 'auto': Secure when the request came over https (directly or via a trusted proxy). */
  cookieSecure: boolean | 'auto';
};

const loginBody = z.object({ username: z.string().max(100), password: z.string().max(500) });
const newUserBody = z.object({ username: usernameSchema, password: passwordSchema, role: roleSchema });
const userPatch = z
  .object({ role: roleSchema.optional(), password: passwordSchema.optional() })
  .refine((b) => b.role !== undefined || b.password !== undefined, 'give a role or a password');
const userId = z.coerce.number().int().positive();

export function addAuthRoutes(router: Router, db: Database, options: AuthOptions): void {
  const secure = (req: Request) => (options.cookieSecure === 'auto' ? req.secure : options.cookieSecure);
  const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

  router.get('/auth/session', (req, res) => {
    parseQuery(z.object({}), req);
    noStore(res);
    res.vary('Cookie');
    res.json(req.user ? { user: req.user, csrfToken: req.csrfToken } : { user: null });
  });

  router.post('/auth/login', async (req, res) => {
    const { username, password } = parseBody(loginBody, req);
    const result = await checkLogin(db, username, password, req.ip ?? 'unknown');
    noStore(res);
    if (!result.ok && result.reason === 'throttled') {
      res.setHeader('Retry-After', String(LOGIN_WINDOW_SECONDS));
      throw new HttpError(429, 'too_many_attempts', 'Too many failed sign-ins; wait 15 minutes and try again.');
    }
    // One message for an unknown user and a wrong password: no user enumeration.
    if (!result.ok) throw new HttpError(401, 'invalid_credentials', 'Wrong username or password.');
    // A session id that existed before sign-in is never promoted (session fixation).
    const previous = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (previous) await deleteSession(db, previous);
    const session = await createSession(db, result.user.id, options.sessionTtlHours);
    res.setHeader('Set-Cookie', sessionCookie(session.token, { secure: secure(req), expires: session.expiresAt }));
    res.json({ user: result.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
  });

  router.post('/auth/logout', async (req, res) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await deleteSession(db, token);
    res.setHeader('Set-Cookie', sessionCookie('', { secure: secure(req), expires: null }));
    noStore(res);
    res.status(204).end();
  });

  const admin = requireRole('admin');
  router.get('/users', admin, async (req, res) => {
    parseQuery(z.object({}), req);
    noStore(res);
    res.json({ users: await listUsers(db) });
  });
  router.post('/users', admin, async (req, res) => {
    const body = parseBody(newUserBody, req);
    const user = await userAction(() => createUser(db, body));
    noStore(res);
    res.status(201).json({ user });
  });
  router.patch('/users/:id', admin, async (req, res) => {
    const id = parseParam(userId, req.params.id, 'id');
    const body = parseBody(userPatch, req);
    let user = body.role ? await userAction(() => setRole(db, id, body.role!)) : undefined;
    if (body.password) user = await userAction(() => resetPassword(db, id, body.password!));
    noStore(res);
    res.json({ user });
  });
  router.delete('/users/:id', admin, async (req, res) => {
    await userAction(() => deleteUser(db, parseParam(userId, req.params.id, 'id')));
    res.status(204).end();
  });
}

async function userAction<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (error.code === 'user_not_found') throw notFound(error.message, error.code);
    throw new HttpError(409, error.code, error.message);
  }
}
