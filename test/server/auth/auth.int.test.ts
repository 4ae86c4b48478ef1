import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USER } from '../../../server/auth/login.ts';
import { createUser, ensureAdmin } from '../../../server/auth/users.ts';
import { PASSWORD, publicClient, signIn, userClient } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

describeEachBackend('sign-in, sessions and users', ({ db }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(db());
  });
  afterAll(() => server.close());

  it('signs in with an HttpOnly, SameSite cookie whose id is stored only as a hash', async () => {
    await createUser(db(), { username: 'lan', password: PASSWORD, role: 'viewer' });
    const res = await signIn(server, 'Lan');
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^lsgis_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Expires=/);
    expect(cookie).not.toContain('Secure'); // plain http here; COOKIE_SECURE=auto adds it over https
    const body = (await res.json()) as { user: { username: string; role: string }; csrfToken: string };
    expect(body.user).toMatchObject({ username: 'lan', role: 'viewer' });
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const stored = await db().query<{ token_hash: string }>("SELECT token_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'lan'");
    expect(stored.map((r) => r.token_hash)).toEqual([createHash('sha256').update(token).digest('hex')]);
    const [user] = await db().query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'lan'");
    expect(user!.password_hash).not.toContain(PASSWORD);
    const session = await (await server.get('/api/auth/session', { Cookie: cookie.split(';')[0]! })).json();
    expect(session).toEqual({ user: body.user, csrfToken: body.csrfToken });
    expect(await (await server.get('/api/auth/session')).json()).toEqual({ user: null });
  });

  it('answers a wrong password and an unknown user identically', async () => {
    const wrong = await signIn(server, 'lan', 'not the password');
    const unknown = await signIn(server, 'nobody-here', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('throttles guessing per username, even with the right password, in the database', async () => {
    await createUser(db(), { username: 'guessed', password: PASSWORD, role: 'editor' });
    for (let i = 0; i < MAX_FAILURES_PER_USER; i++) expect((await signIn(server, 'guessed', `wrong ${i}`)).status).toBe(401);
    const blocked = await signIn(server, 'guessed');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('900');
    expect((await blocked.json()).error).toBe('too_many_attempts');
    // A second server on the same database sees the same count.
    const other = await startTestServer(db());
    expect((await signIn(other, 'guessed')).status).toBe(429);
    await other.close();
  });

  it('throttles guessing per address across usernames', async () => {
    await db().query('DELETE FROM login_failures');
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) await signIn(server, `spray-${i}`, 'wrong password');
    expect((await signIn(server, 'lan')).status).toBe(429);
    await db().query('DELETE FROM login_failures');
    expect((await signIn(server, 'lan')).status).toBe(200);
  });

  it('shares sessions between servers on one database; sign-out ends them everywhere', async () => {
    const viewer = await userClient(db(), server, 'viewer', 'lan');
    const other = await startTestServer(db());
    const ask = (s: TestServer) => s.get('/api/auth/session', { Cookie: viewer.cookie! }).then((r) => r.json());
    expect((await ask(other)).user.username).toBe('lan');
    const out = await viewer.send('POST', '/api/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^lsgis_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/);
    expect((await ask(other)).user).toBeNull();
    expect((await ask(server)).user).toBeNull();
    await other.close();
  });

  it('refuses an expired session', async () => {
    const viewer = await userClient(db(), server, 'viewer', 'lan');
    await db().query("UPDATE sessions SET expires_at = now() - interval '1 second'");
    expect((await (await server.get('/api/auth/session', { Cookie: viewer.cookie! })).json()).user).toBeNull();
  });

  it('refuses writes without the CSRF token, and cross-site writes', async () => {
    const admin = await userClient(db(), server, 'admin');
    const body = { username: 'csrf-victim', password: PASSWORD, role: 'admin' };
    const noToken = await admin.send('POST', '/api/users', body, { 'X-CSRF-Token': '' });
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).error).toBe('csrf_failed');
    const crossSite = await admin.send('POST', '/api/users', body, { Origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).error).toBe('cross_site_request');
    expect((await admin.send('POST', '/api/users', body, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await admin.send('POST', '/api/auth/logout', undefined, { Origin: 'null' })).status).toBe(403);
    expect(await db().query("SELECT 1 FROM users WHERE username = 'csrf-victim'")).toEqual([]);
    // Same origin, with the token: allowed.
    const ok = await admin.send('POST', '/api/users', body, { Origin: server.url, 'Sec-Fetch-Site': 'same-origin' });
    expect(ok.status).toBe(201);
  });

  it('never keeps a session id presented before sign-in (session fixation)', async () => {
    // An attacker's own valid session, planted in the victim's browser before she signs in.
    const attacker = await userClient(db(), server, 'viewer', 'attacker');
    const planted = attacker.cookie!;
    // Her page reads the session it finds, so it sends that session's CSRF token along.
    const res = await server.request('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: planted, 'X-CSRF-Token': attacker.csrf! },
      body: JSON.stringify({ username: 'lan', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const issued = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(issued).not.toBe(planted);
    // The planted id is gone, not promoted to the victim; the new one is hers.
    expect((await (await server.get('/api/auth/session', { Cookie: planted })).json()).user).toBeNull();
    expect((await (await server.get('/api/auth/session', { Cookie: issued })).json()).user.username).toBe('lan');
    // A made-up id of the right shape is not adopted either.
    const madeUp = `lsgis_session=${'A'.repeat(43)}`;
    const again = await server.request('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: madeUp },
      body: JSON.stringify({ username: 'lan', password: PASSWORD }),
    });
    expect(again.headers.get('set-cookie')!.split(';')[0]).not.toBe(madeUp);
  });

  it('makes a signed-out session useless for writes, even with its CSRF token', async () => {
    const editor = await userClient(db(), server, 'editor', 'leaving-editor');
    expect((await editor.send('POST', '/api/auth/logout')).status).toBe(204);
    const write = await editor.send('POST', '/api/features/industrial_clusters', { properties: {}, geometry: null });
    expect(write.status).toBe(401);
  });

  it('refuses a cross-site sign-in (login CSRF) and another session\'s CSRF token', async () => {
    const login = await server.request('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      body: JSON.stringify({ username: 'lan', password: PASSWORD }),
    });
    expect(login.status).toBe(403);
    expect(login.headers.get('set-cookie')).toBeNull();
    // A form post from another site: no JSON, no token, the browser's own labels.
    const form = await server.request('/api/auth/logout', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'cross-site' }, body: 'a=1' });
    expect(form.status).toBe(403);
    const admin = await userClient(db(), server, 'admin');
    const viewer = await userClient(db(), server, 'viewer', 'lan');
    const borrowed = await admin.send('POST', '/api/users', { username: 'borrowed-token', password: PASSWORD, role: 'admin' }, { 'X-CSRF-Token': viewer.csrf! });
    expect(borrowed.status).toBe(403);
    expect((await borrowed.json()).error).toBe('csrf_failed');
    expect(await db().query("SELECT 1 FROM users WHERE username = 'borrowed-token'")).toEqual([]);
  });

  it('lets only admins manage users, and keeps one admin', async () => {
    const admin = await userClient(db(), server, 'admin');
    const viewer = await userClient(db(), server, 'viewer', 'lan');
    expect((await publicClient(server).send('GET', '/api/users')).status).toBe(401);
    expect((await viewer.send('GET', '/api/users')).status).toBe(403);
    const created = await admin.send('POST', '/api/users', { username: 'minh', password: PASSWORD, role: 'viewer' });
    expect(created.status).toBe(201);
    const { user } = (await created.json()) as { user: { id: number } };
    expect((await admin.send('POST', '/api/users', { username: 'minh', password: PASSWORD, role: 'viewer' })).status).toBe(409);
    expect((await admin.send('POST', '/api/users', { username: 'x', password: 'short', role: 'boss' })).status).toBe(400);
    const minh = await userClient(db(), server, 'viewer', 'minh');
    const promoted = await admin.send('PATCH', `/api/users/${user.id}`, { role: 'editor' });
    expect((await promoted.json()).user.role).toBe('editor');
    // The role is read on every request: the promotion holds at once.
    expect((await (await server.get('/api/auth/session', { Cookie: minh.cookie! })).json()).user.role).toBe('editor');
    // A new password signs the user out everywhere.
    expect((await admin.send('PATCH', `/api/users/${user.id}`, { password: 'another long password' })).status).toBe(200);
    expect((await (await server.get('/api/auth/session', { Cookie: minh.cookie! })).json()).user).toBeNull();
    expect((await signIn(server, 'minh', 'another long password')).status).toBe(200);
    expect((await admin.send('DELETE', `/api/users/${user.id}`)).status).toBe(204);
    expect((await admin.send('DELETE', `/api/users/${user.id}`)).status).toBe(404);
    // Demoting or deleting the last admin is refused.
    const admins = await db().query<{ id: number }>("SELECT id::int AS id FROM users WHERE role = 'admin'");
    await db().query("DELETE FROM users WHERE role = 'admin' AND id <> $1", [admins[0]!.id]);
    const last = await userClient(db(), server, 'admin', (await db().query<{ username: string }>("SELECT username FROM users WHERE role = 'admin'"))[0]!.username);
    const demote = await last.send('PATCH', `/api/users/${admins[0]!.id}`, { role: 'viewer' });
    expect(demote.status).toBe(409);
    expect((await demote.json()).error).toBe('last_admin');
    expect((await last.send('DELETE', `/api/users/${admins[0]!.id}`)).status).toBe(409);
  });

  it('bootstraps the first admin only while there is none', async () => {
    const admins = async () => (await db().query<{ username: string }>("SELECT username FROM users WHERE role = 'admin' ORDER BY username")).map((r) => r.username);
    const before = await admins();
    expect(before.length).toBeGreaterThan(0);
    expect(await ensureAdmin(db(), { username: 'boot', password: PASSWORD })).toBe('exists');
    expect(await admins()).toEqual(before);
    await db().query("UPDATE users SET role = 'viewer' WHERE role = 'admin'");
    expect(await ensureAdmin(db(), { username: 'boot', password: PASSWORD })).toBe('created');
    expect(await admins()).toEqual(['boot']);
  });
});
