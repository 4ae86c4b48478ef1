// Sessions in the database: a random 256-bit id goes to the browser in an HttpOnly
// cookie, only its SHA-256 is stored. Any server on the same database can resolve it,
// and signing out deletes it everywhere at once.
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/adapter.ts';
import { SQL } from './queries.ts';
import type { Role } from './users.ts';

export type SessionUser = { id: number; username: string; role: Role };
export type ResolvedSession = { user: SessionUser; csrfToken: string };
export type NewSession = { token: string; csrfToken: string; expiresAt: Date };

export const SESSION_COOKIE = 'lsgis_session';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
// 43 base64url characters = 256 bits; anything else is not one of ours.
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function createSession(db: Queryable, userId: number, ttlHours: number): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  // Expired sessions are swept as new ones are made: no timer, no second process.
  await db.query(SQL.deleteExpiredSessions);
  await db.query(SQL.insertSession, [hashToken(token), userId, csrfToken, expiresAt.toISOString()]);
  return { token, csrfToken, expiresAt };
}

export async function resolveSession(db: Queryable, token: string): Promise<ResolvedSession | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const [row] = await db.query<SessionUser & { csrf_token: string }>(SQL.sessionUser, [hashToken(token)]);
  if (!row) return undefined;
  return { user: { id: row.id, username: row.username, role: row.role }, csrfToken: row.csrf_token };
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  if (TOKEN.test(token)) await db.query(SQL.deleteSession, [hashToken(token)]);
}

/** The value of one cookie in a Cookie header (RFC 6265 syntax, no decoding needed for our tokens). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(value: string, options: { secure: boolean; expires: Date | null }): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  parts.push(options.expires ? `Expires=${options.expires.toUTCString()}` : 'Max-Age=0');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
