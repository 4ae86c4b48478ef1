// Managing users: shared by the admin API (/api/users) and the CLI (scripts/users.ts).
import { z } from 'zod';
import type { Database, Queryable } from '../db/adapter.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { SQL } from './queries.ts';

export const roles = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof roles)[number];
/** Who is asking: the public (no session), or a signed-in user's role. */
export type Principal = Role | 'public';

const rank: Record<Principal, number> = { public: 0, viewer: 1, editor: 2, admin: 3 };
export const atLeast = (who: Principal, needed: Role) => rank[who] >= rank[needed];

export type User = { id: number; username: string; role: Role; created_at: string; updated_at: string };

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, '3–40 characters: lower-case letters, digits, . _ -');
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `at most ${MAX_PASSWORD_LENGTH} characters`);
export const roleSchema = z.enum(roles);

export class UserError extends Error {
  constructor(
    readonly code: 'username_taken' | 'user_not_found' | 'last_admin',
    message: string,
  ) {
    super(message);
  }
}

export const listUsers = (db: Queryable) => db.query<User>(SQL.listUsers);

export async function createUser(db: Queryable, input: { username: string; password: string; role: Role }): Promise<User> {
  const username = usernameSchema.parse(input.username);
  const hash = await hashPassword(passwordSchema.parse(input.password));
  try {
    const [user] = await db.query<User>(SQL.insertUser, [username, hash, roleSchema.parse(input.role)]);
    return user!;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new UserError('username_taken', `The username '${username}' is taken.`);
    throw error;
  }
}

/** Changes a role; refuses to demote the last admin. */
export function setRole(db: Database, id: number, role: Role): Promise<User> {
  return db.transaction(async (tx) => {
    await tx.query(SQL.lockAdmins);
    const user = await existing(tx, id);
    if (user.role === 'admin' && role !== 'admin') await keepOneAdmin(tx);
    const [updated] = await tx.query<User>(SQL.setRole, [id, roleSchema.parse(role)]);
    return updated!;
  });
}

/** Sets a new password and signs the user out everywhere. */
export async function resetPassword(db: Database, id: number, password: string): Promise<User> {
  const hash = await hashPassword(passwordSchema.parse(password));
  return db.transaction(async (tx) => {
    await existing(tx, id);
    const [updated] = await tx.query<User>(SQL.setPassword, [id, hash]);
    await tx.query(SQL.deleteUserSessions, [id]);
    return updated!;
  });
}

/** Deletes a user (their sessions go with them); refuses to delete the last admin. */
export function deleteUser(db: Database, id: number): Promise<void> {
  return db.transaction(async (tx) => {
    await tx.query(SQL.lockAdmins);
    const user = await existing(tx, id);
    if (user.role === 'admin') await keepOneAdmin(tx);
    await tx.query(SQL.deleteUser, [id]);
  });
}

export async function findUserByName(db: Queryable, username: string): Promise<User | undefined> {
  return (await listUsers(db)).find((u) => u.username === username.toLowerCase());
}

/**
 * Creates the first admin from the environment, only while no admin exists: a
 * password changed later through the API is never reset by a restart.
 */
export async function ensureAdmin(db: Database, credentials: { username: string; password: string }): Promise<'created' | 'exists'> {
  return db.transaction(async (tx) => {
    await tx.query(SQL.lockAdmins);
    const [{ n }] = (await tx.query<{ n: number }>(SQL.adminCount)) as [{ n: number }];
    if (n > 0) return 'exists';
    await createUser(tx, { ...credentials, role: 'admin' });
    return 'created';
  });
}

async function existing(tx: Queryable, id: number): Promise<User> {
  const [user] = await tx.query<User>(SQL.userById, [id]);
  if (!user) throw new UserError('user_not_found', `No user with id ${id}.`);
  return user;
}

async function keepOneAdmin(tx: Queryable) {
  const [{ n }] = (await tx.query<{ n: number }>(SQL.adminCount)) as [{ n: number }];
  if (n <= 1) throw new UserError('last_admin', 'This is the last admin; make another admin first.');
}
