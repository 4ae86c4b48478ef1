// Writes are rate-limited per user through the whole app; reads and other users are not affected.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { userClient, type Client } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

// One write every 30 s: the test's own pace cannot earn the bucket another token.
const PER_MINUTE = 2;

describeEachBackend('write rate limit', ({ db }) => {
  let server: TestServer;
  let editor: Client;
  let other: Client;
  beforeAll(async () => {
    server = await startTestServer(db(), { env: { WRITE_RATE_PER_MINUTE: String(PER_MINUTE) } });
    // Signing in counts against the address, not against the users' own buckets.
    editor = await userClient(db(), server, 'editor', 'fast-editor');
    other = await userClient(db(), server, 'editor', 'other-editor');
  });
  afterAll(() => server.close());

  const history = async () => (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM feature_history'))[0]!.n;
  const edit = async (client: Client, note: string) => {
    const zone = (await (await client.send('GET', '/api/features/industrial_parks/vsip-lang-son')).json()) as { properties: { version: number } };
    return client.send('PATCH', '/api/features/industrial_parks/vsip-lang-son', { properties: { notes: note } }, { 'If-Match': `"${zone.properties.version}"` });
  };

  it(`accepts ${PER_MINUTE} writes a minute from one editor, refuses the next with 429 + Retry-After, writing nothing`, async () => {
    for (let i = 0; i < PER_MINUTE; i++) expect((await edit(editor, `note ${i}`)).status).toBe(200);
    const before = await history();
    const refused = await edit(editor, 'one too many');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60 / PER_MINUTE);
    expect(((await refused.json()) as { error: string }).error).toBe('too_many_writes');
    expect(await history()).toBe(before);
    // Reads go on, and another editor writes as usual.
    expect((await editor.send('GET', '/api/layers/industrial_parks')).status).toBe(200);
    expect((await edit(other, 'from the other editor')).status).toBe(200);
  });
});
