// Checking a username and password, throttled per username and per client address.
// Failures are rows in the database, so the limit holds across servers sharing it.
import type { Database } from '../db/adapter.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { SQL } from './queries.ts';
import type { SessionUser } from './sessions.ts';

export const LOGIN_WINDOW = '15 minutes';
export const LOGIN_WINDOW_SECONDS = 15 * 60;
/** Failed attempts allowed in the window for one username, and for one address. */
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export type LoginResult = { ok: true; user: SessionUser } | { ok: false; reason: 'invalid' | 'throttled' };

export async function checkLogin(db: Database, username: string, password: string, address: string): Promise<LoginResult> {
  const userKey = `user:${username.trim().toLowerCase()}`;
  const addressKey = `ip:${address}`;
  const counts = new Map(
    (await db.query<{ key: string; n: number }>(SQL.countFailures, [[userKey, addressKey], LOGIN_WINDOW])).map((r) => [r.key, r.n]),
  );
  // Checked before the password: a throttled guesser learns nothing, right or wrong.
  if ((counts.get(userKey) ?? 0) >= MAX_FAILURES_PER_USER || (counts.get(addressKey) ?? 0) >= MAX_FAILURES_PER_ADDRESS) {
    return { ok: false, reason: 'throttled' };
  }
  const [row] = await db.query<SessionUser & { password_hash: string }>(SQL.userForLogin, [username.trim().toLowerCase()]);
  const valid = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()));
  if (!row || !valid) {
    await db.query(SQL.pruneFailures, [LOGIN_WINDOW]);
    await db.query(SQL.insertFailure, [[userKey, addressKey]]);
    return { ok: false, reason: 'invalid' };
  }
  await db.query(SQL.clearFailures, [userKey]);
  return { ok: true, user: { id: row.id, username: row.username, role: row.role } };
}
