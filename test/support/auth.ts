// Signed-in clients for HTTP tests: users made directly in the test database, a
// session cookie and CSRF token kept per client, and requests as a browser would send them.
import type { Database } from '../../server/db/adapter.ts';
import { createUser, type Role } from '../../server/auth/users.ts';
import type { TestServer } from './http.ts';

export const PASSWORD = 'a long test password';

export type Client = {
  role: Role | 'public';
  cookie: string | null;
  csrf: string | null;
  /** A request with the session cookie, CSRF token and JSON body (when given) set. */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
};

export function clientFor(server: TestServer, session: { cookie: string | null; csrf: string | null; role: Role | 'public' }): Client {
  return {
    ...session,
    send: (method, path, body, headers = {}) =>
      server.request(path, {
        method,
        headers: {
          ...(session.cookie ? { Cookie: session.cookie } : {}),
          ...(session.csrf ? { 'X-CSRF-Token': session.csrf } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

export async function signIn(server: TestServer, username: string, password = PASSWORD): Promise<Response> {
  return server.request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

/** A user of the role (created once per database) and a signed-in client for them. */
export async function userClient(db: Database, server: TestServer, role: Role, username = `${role}-user`): Promise<Client> {
  const exists = await db.query('SELECT 1 FROM users WHERE username = $1', [username]);
  if (!exists.length) await createUser(db, { username, password: PASSWORD, role });
  const res = await signIn(server, username);
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return clientFor(server, { cookie, csrf: csrfToken, role });
}

export const publicClient = (server: TestServer): Client => clientFor(server, { cookie: null, csrf: null, role: 'public' });
