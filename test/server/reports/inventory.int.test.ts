import * as XLSX from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

type Sum = { value: number | null; known: number };
type Totals = { count: number; area_ha: Sum; leasable_ha: Sum; occupied_ha: Sum; vacant_ha: Sum; occupancy_pct: { value: number | null; known: number } };
type Inventory = { groups: { id: string; totals: Totals; rows: { id: string; stage: string; properties: Record<string, unknown> }[] }[]; province: Totals; data_as_of: string };

describeEachBackend('classified inventory report', ({ db }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(db());
    // A hand-made fixture over the seeded zones: four zones with known land figures.
    await db().query(`UPDATE zones SET status = 'approved', leasable_ha = NULL, occupied_ha = NULL, area_ha = NULL WHERE TRUE`);
    await db().query(`UPDATE zones SET status = 'operating', area_ha = 100, leasable_ha = 70, occupied_ha = 70 WHERE id = 'ccn-ho-son-1'`);
    await db().query(`UPDATE zones SET status = 'operating', area_ha = 60, leasable_ha = 40, occupied_ha = 10 WHERE id = 'ccn-hoa-son-1'`);
    await db().query(`UPDATE zones SET status = 'operating', area_ha = 50 WHERE id = 'ccn-dinh-lap'`);
    await db().query(`UPDATE zones SET status = 'suspended', area_ha = 600, leasable_ha = 400, occupied_ha = 0 WHERE id = 'vsip-lang-son'`);
    await db().query(`UPDATE zones SET status = 'planned', area_ha = 162 WHERE id = 'kcn-dong-banh'`);
    await db().query(`UPDATE zones SET status = 'proposed' WHERE id = 'kcn-hong-phong'`);
  });
  afterAll(() => server.close());

  const inventory = () =>
    eventually(async () => {
      const body = (await (await server.get('/api/reports/inventory')).json()) as Inventory;
      expect(body.groups.find((g) => g.id === 'b')!.rows.find((r) => r.id === 'vsip-lang-son')).toBeDefined();
      return body;
    });

  it('classifies by the rule and totals known figures only (hand-computed)', async () => {
    const inv = await inventory();
    const a = inv.groups.find((g) => g.id === 'a')!;
    expect(a.rows.map((r) => [r.id, r.stage]).sort()).toEqual([
      ['ccn-dinh-lap', 'attracting_occupancy_unknown'],
      ['ccn-ho-son-1', 'filled'],
      ['ccn-hoa-son-1', 'attracting'],
    ]);
    // Group A: areas 100 + 60 + 50; leasable 70 + 40; occupied 70 + 10; vacant 0 + 30;
    // occupancy (70 + 10) / (70 + 40) = 72.7 %.
    expect(a.totals).toEqual({
      count: 3,
      area_ha: { value: 210, known: 3 },
      leasable_ha: { value: 110, known: 2 },
      occupied_ha: { value: 80, known: 2 },
      vacant_ha: { value: 30, known: 2 },
      occupancy_pct: { value: 72.7, known: 2 },
    });
    const b = inv.groups.find((g) => g.id === 'b')!;
    const zones = (await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM zones`))[0]!.n;
    expect(b.totals.count).toBe(zones - 3 - 1 - 1); // all others approved; Đồng Bành planned, Hồng Phong proposed
    expect(b.rows.find((r) => r.id === 'vsip-lang-son')!.stage).toBe('suspended');
    expect(b.totals.area_ha).toEqual({ value: 600, known: 1 });
    expect(b.totals.occupancy_pct).toEqual({ value: 0, known: 1 });
    // Province = A + B: areas 210 + 600; leasable 110 + 400; occupied 80 + 0 → 15.7 %.
    expect(inv.province).toEqual({
      count: 3 + b.totals.count,
      area_ha: { value: 810, known: 4 },
      leasable_ha: { value: 510, known: 3 },
      occupied_ha: { value: 80, known: 3 },
      vacant_ha: { value: 430, known: 3 },
      occupancy_pct: { value: 15.7, known: 3 },
    });
    expect(inv.groups.find((g) => g.id === 'c')!.rows.map((r) => r.id).sort()).toEqual(['kcn-dong-banh', 'kcn-hong-phong']);
    expect(inv.data_as_of).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('never shows internal fields in the public report, in any format', async () => {
    await db().query(`UPDATE zones SET internal_notes = 'secret-negotiation', difficulties = 'hidden-difficulty', internal_fields = ARRAY['difficulties'] WHERE id = 'ccn-ho-son-1'`);
    await eventually(async () => {
      const json = await (await server.get('/api/reports/inventory')).text();
      expect(json).toContain('ccn-ho-son-1');
      expect(json).not.toContain('hidden-difficulty');
    });
    for (const format of ['', '.csv', '.html']) {
      const text = await (await server.get(`/api/reports/inventory${format}`)).text();
      expect(text, format).not.toContain('secret-negotiation');
      expect(text, format).not.toContain('hidden-difficulty');
    }
    const book = new XLSX.Workbook();
    await book.xlsx.load(Buffer.from(await (await server.get('/api/reports/inventory.xlsx')).arrayBuffer()) as never);
    const cells = book.worksheets.flatMap((s) => s.getSheetValues().flat().map(String)).join(' ');
    expect(cells).not.toContain('secret-negotiation');
    expect(cells).not.toContain('hidden-difficulty');
  });

  it('gives a spreadsheet with the title, the groups, and empty cells (not 0) for unknowns', async () => {
    const res = await server.get('/api/reports/inventory.xlsx');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="?kiem-ke-khu-cum-cong-nghiep-lang-son-\d{4}-\d{2}-\d{2}\.xlsx"?/);
    const book = new XLSX.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = book.getWorksheet('Danh mục')!;
    expect(String(sheet.getCell('A1').value)).toBe('Thống kê, phân loại các khu, cụm công nghiệp trên địa bàn tỉnh Lạng Sơn');
    // Sheet rows and cells are 1-based and sparse.
    const rows = sheet.getSheetValues().filter(Array.isArray).map((r) => r.slice(1));
    const header = rows.find((r) => r[0] === 'Nhóm')!;
    const area = header.indexOf('Diện tích quy hoạch (ha)');
    const dinhLap = rows.find((r) => r.includes('Cụm công nghiệp Đình Lập'))!;
    expect(dinhLap[area]).toBe(50);
    expect(dinhLap[header.indexOf('Đã cho thuê (ha)')]).toBeUndefined();
    expect(rows.some((r) => String(r[0]).startsWith('Nhóm A'))).toBe(true);
  });

  it('writes CSV and the printable page in Vietnamese, English on request', async () => {
    // Read the bytes: fetch's text() would silently drop the byte-order mark.
    const csv = Buffer.from(await (await server.get('/api/reports/inventory.csv')).arrayBuffer()).toString('utf8');
    expect(csv.startsWith('\uFEFFNhóm,Phân loại,Tên')).toBe(true);
    expect(csv).toContain('Toàn tỉnh (nhóm A và B)');
    const html = await (await server.get('/api/reports/inventory.html')).text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('không có dữ liệu');
    const en = await (await server.get('/api/reports/inventory.html?lang=en')).text();
    expect(en).toContain('Group A — Infrastructure complete');
  });

  it.each([
    ['/api/reports/inventory.doc', 404],
    ['/api/reports/inventory?lang=fr', 400],
    ['/api/reports/inventory?x=1', 400],
  ])('GET %s → %i', async (path, status) => {
    expect((await server.get(path)).status).toBe(status);
  });
});
