import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

type Hit = { layer: string; id: string; name: { vi: string; en: string | null }; status: string | null; bbox: number[]; score: number };

describeEachBackend('search', ({ db }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(db());
  });
  afterAll(() => server.close());

  const search = async (q: string, limit?: number) => {
    const res = await server.get(`/api/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { hits: Hit[] }).hits;
  };
  const ids = async (q: string) => (await search(q)).map((h) => `${h.layer}/${h.id}`);

  // Real queries, as planners, investors and the OCR'd documents write them.
  it.each([
    ['na duong', 'communes/', 'Na Dương'],
    ['Na Duong', 'communes/', 'Na Dương'],
    ['NA DƯƠNG', 'communes/', 'Na Dương'],
    ['huu nghi', 'border_gates/cua-khau-huu-nghi', null],
    ['Hữu Nghị', 'border_gates/cua-khau-huu-nghi', null],
    ['hop thanh 2', 'industrial_clusters/ccn-hop-thanh-2', null],
    ['đồng đăng', 'communes/', 'Đồng Đăng'],
    ['dong dang', 'communes/', 'Đồng Đăng'],
    ['Khu cong nghiep VSIP', 'industrial_parks/vsip-lang-son', null],
    ['vsip lang sonn', 'industrial_parks/vsip-lang-son', null],
    ['chi ma', 'border_gates/cua-khau-chi-ma', null],
    ['1119', 'border_markers/moc-1119', null],
    ['youyiguan', 'border_gates/cua-khau-huu-nghi', null],
    ['dinh lap', 'communes/', 'Đình Lập'],
  ])('%j finds %s first', async (q, expected, communeName) => {
    const [first] = await search(q);
    expect(`${first!.layer}/${first!.id}`).toContain(expected);
    if (communeName) expect(first!.name.vi).toBe(communeName);
  });

  it('finds every Na Dương cluster for "na duong", after the commune of that name', async () => {
    const found = await ids('na duong');
    expect(found[0]).toMatch(/^communes\//);
    expect(found).toEqual(expect.arrayContaining(['industrial_clusters/ccn-na-duong-1', 'industrial_clusters/ccn-na-duong-2', 'industrial_clusters/ccn-na-duong-3']));
  });

  it('matches partial words and whole-word prefixes only', async () => {
    expect(await ids('hop th')).toEqual(expect.arrayContaining(['industrial_clusters/ccn-hop-thanh-1', 'industrial_clusters/ccn-hop-thanh-2']));
    expect(await ids('hop thanh 2')).not.toContain('industrial_clusters/ccn-hop-thanh-1');
    expect(await ids('qwxz')).toEqual([]);
  });

  it('returns what the map needs to zoom: bbox, status, names in both languages', async () => {
    const [hit] = await search('Khu công nghiệp VSIP');
    expect(hit!.name).toEqual({ vi: 'Khu công nghiệp VSIP Lạng Sơn', en: expect.stringContaining('VSIP') });
    expect(hit!.status).toBeTruthy();
    const [minLon, minLat, maxLon, maxLat] = hit!.bbox;
    expect(minLon).toBeLessThan(maxLon!);
    expect(minLat).toBeLessThan(maxLat!);
    expect(minLon).toBeGreaterThan(106);
  });

  it('sees data changes', async () => {
    await db().query("UPDATE zones SET name_vi = 'Cụm công nghiệp Thử Nghiệm' WHERE id = 'ccn-bac-son-2'");
    await eventually(async () => expect(await ids('thu nghiem')).toContain('industrial_clusters/ccn-bac-son-2'));
  });

  it('forgives one typo in a longer word, ranking it below real matches', async () => {
    const hits = await search('huuu nghi');
    expect(`${hits[0]!.layer}/${hits[0]!.id}`).toBe('border_gates/cua-khau-huu-nghi');
    const exact = await search('huu nghi');
    expect(hits[0]!.score).toBeLessThan(exact[0]!.score);
  });

  it('caps the number of hits', async () => {
    expect(await search('cum', 3)).toHaveLength(3);
  });

  it.each([
    ['', 400, /'q' is required/],
    ['?q=', 400, /must not be empty/],
    ['?q=%20%20', 400, /must not be empty/],
    [`?q=${'a'.repeat(101)}`, 400, /at most 100 characters/],
    ['?q=x&limit=0', 400, /'limit'/],
    ['?q=x&limit=500', 400, /'limit'/],
    ['?q=x&zoom=3', 400, /Unknown query parameter 'zoom'/],
  ])('rejects /api/search%s', async (query, status, detail) => {
    const res = await server.get(`/api/search${query}`);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
  });
});
