// The collection round trip for the province's order (seed 001), as a planner and a
// department do it: the completeness report names the gaps and who holds the figures, the
// template is downloaded, filled in Excel (here: by exceljs, as a script would), returned
// through the import (preview: old → new per field; refusals; commit), and the map,
// the inventory and the history then carry the new figures and where they came from.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_ROW } from '../../../server/reports/template.ts';
import { publicClient, userClient, type Client } from '../../support/auth.ts';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

type Figure = { state: string; since: string | null; recorded: string | null };
type Completeness = {
  audience: string;
  layers: { layer: string; zones: number; missing: Record<string, number>; not_public: Record<string, number> }[];
  zones: { id: string; body: string; missing: number; fields: Record<string, Figure> }[];
};
type Report = {
  committed: boolean;
  counts: Record<string, number>;
  rows: { ref: string; id: string | null; action: string | null; errors: { field: string; code: string; message: { vi: string; en: string } }[]; changes?: { field: string; from: unknown; to: unknown }[] }[];
};

const CLUSTERS_TEMPLATE = '/api/reports/collection-template.xlsx?body=industry_trade';

describeEachBackend('collecting the inventory figures', ({ db }) => {
  let server: TestServer;
  let editor: Client;
  beforeAll(async () => {
    server = await startTestServer(db(), { env: { WRITE_RATE_PER_MINUTE: '10000' } });
    editor = await userClient(db(), server, 'editor');
  });
  afterAll(() => server.close());

  const completeness = async (client: Client = editor) => (await (await client.send('GET', '/api/reports/completeness')).json()) as Completeness;
  const template = async () => {
    const res = await editor.send('GET', CLUSTERS_TEMPLATE);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/spreadsheetml/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    return book;
  };
  /** The template's sheet as rows keyed by the hidden row of field keys. */
  const table = (book: ExcelJS.Workbook) => {
    const sheet = book.worksheets[0]!;
    const keys = (sheet.getRow(KEY_ROW).values as unknown[]).map((v) => (typeof v === 'string' ? v : null));
    const column = (key: string) => keys.indexOf(key);
    const rowOf = (id: string) => {
      for (let r = KEY_ROW + 1; r <= sheet.rowCount; r++) if (sheet.getRow(r).getCell(1).value === id) return sheet.getRow(r);
      throw new Error(`no row for ${id}`);
    };
    return { sheet, column, rowOf, set: (id: string, values: Record<string, unknown>) => Object.entries(values).forEach(([k, v]) => (rowOf(id).getCell(column(k)).value = v as never)) };
  };
  const upload = async (mode: 'preview' | 'commit', book: ExcelJS.Workbook, filename = 'phieu-tra-loi.xlsx') => {
    const res = await server.request(`/api/import/industrial_clusters/${mode}?filename=${filename}`, {
      method: 'POST',
      headers: { Cookie: editor.cookie!, 'X-CSRF-Token': editor.csrf!, 'Content-Type': 'application/octet-stream' },
      body: Buffer.from(await book.xlsx.writeBuffer()),
    });
    return { status: res.status, report: (await res.json()) as Report };
  };
  const writes = async () => (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM feature_history'))[0]!.n;

  describe('the completeness report', () => {
    it('names every gap, per zone and per layer, and who is asked for it', async () => {
      const report = await completeness();
      const clusters = report.layers.find((l) => l.layer === 'industrial_clusters')!;
      expect(clusters.zones).toBe(9);
      expect(clusters.missing.occupied_ha).toBe(9); // no cluster has an occupancy figure in the seed
      const naDuong = report.zones.find((z) => z.id === 'ccn-na-duong-1')!;
      expect(naDuong.body).toBe('industry_trade');
      expect(naDuong.fields.area_ha).toMatchObject({ state: 'missing', since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      expect(report.zones.find((z) => z.id === 'vsip-lang-son')!.body).toBe('border_zone_board');
    });

    it('tells the public nothing about a figure hidden for a zone, not even whether it is known', async () => {
      await db().query("UPDATE zones SET internal_fields = ARRAY['area_ha'] WHERE id = 'ccn-dinh-lap'");
      const pub = await completeness(publicClient(server));
      expect(pub.audience).toBe('public');
      expect(pub.zones.find((z) => z.id === 'ccn-dinh-lap')!.fields.area_ha).toEqual({ state: 'not_public', since: null, recorded: null });
      const staff = await completeness();
      expect(staff.zones.find((z) => z.id === 'ccn-dinh-lap')!.fields.area_ha!.state).not.toBe('not_public');
      await db().query("UPDATE zones SET internal_fields = '{}' WHERE id = 'ccn-dinh-lap'");
    });

    it('refuses a bad threshold with a 400', async () => {
      expect((await editor.send('GET', '/api/reports/completeness?stale_days=-3')).status).toBe(400);
    });
  });

  describe('the template', () => {
    it('is for editors only', async () => {
      expect((await publicClient(server).send('GET', CLUSTERS_TEMPLATE)).status).toBe(401);
      expect((await editor.send('GET', '/api/reports/collection-template.xlsx?body=nobody')).status).toBe(400);
    });

    it('lists the body’s zones with their figures, the missing ones highlighted, lists as drop-downs, in two languages', async () => {
      const { sheet, column, rowOf } = table(await template());
      expect(sheet.getRow(KEY_ROW).hidden).toBe(true);
      expect(String(sheet.getRow(6).getCell(column('area_ha')).value)).toMatch(/\(ha\)/);
      expect(String(sheet.getRow(7).getCell(column('occupied_ha')).value)).toMatch(/Occupied/);
      const ids = [];
      for (let r = KEY_ROW + 1; r <= sheet.rowCount; r++) ids.push(sheet.getRow(r).getCell(1).value);
      expect(ids).toHaveLength(9);
      expect(ids).not.toContain('vsip-lang-son'); // a park: the board's template
      const dinhLap = rowOf('ccn-dinh-lap');
      expect(dinhLap.getCell(column('area_ha')).value).toBe(71.39);
      const missing = dinhLap.getCell(column('occupied_ha'));
      expect(missing.value).toBeNull();
      expect((missing.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFF2CC');
      const status = dinhLap.getCell(column('status'));
      expect(status.value).toBe('Đã phê duyệt');
      expect(status.dataValidation).toMatchObject({ type: 'list' });
      expect(dinhLap.getCell(1).protection?.locked).not.toBe(false); // the id cannot be edited by mistake
      expect(dinhLap.getCell(column('occupied_ha')).protection?.locked).toBe(false);
    });
  });

  describe('a return', () => {
    it('refuses contradictions and figures without their document, with messages in both languages, and writes nothing', async () => {
      const book = await template();
      const t = table(book);
      t.set('ccn-dinh-lap', { leasable_ha: 50, occupied_ha: 60, return_document: '12/BC-SCT', return_date: new Date('2025-12-10') });
      t.set('ccn-hoa-son-1', { leasable_ha: 40 });
      t.set('ccn-ho-son-1', { status: 'Đã phê duyệt', return_document: '12/BC-SCT', return_date: new Date('2025-12-10') });
      const before = await writes();
      const { status, report } = await upload('commit', book);
      expect(status).toBe(422);
      const codes = Object.fromEntries(report.rows.filter((r) => r.errors.length).map((r) => [r.id, r.errors.map((e) => e.code)]));
      expect(codes).toEqual({
        'ccn-dinh-lap': ['occupied_over_leasable'],
        'ccn-hoa-son-1': ['source_required'],
        'ccn-ho-son-1': ['status_regress_note'],
      });
      for (const row of report.rows) for (const e of row.errors) expect(e.message.vi).toMatch(/[^\x00-\x7F]/);
      expect(await writes()).toBe(before);
    });

    it('previews old → new per field, commits through the one write path, and changes nothing when returned again', async () => {
      const book = await template();
      const t = table(book);
      t.set('ccn-dinh-lap', { leasable_ha: 50, occupied_ha: 20, return_document: '12/BC-SCT', return_date: new Date('2025-12-10') });
      t.set('ccn-hoa-son-1', { leasable_ha: 60, occupied_ha: 15, return_document: '12/BC-SCT', return_date: new Date('2025-12-10') });
      t.set('ccn-ho-son-1', { status: 'Đã phê duyệt', return_document: '13/BC-UBND', return_date: new Date('2025-12-11'), change_note: 'Dừng thi công chờ điều chỉnh quy hoạch' });
      const before = await writes();
      const preview = await upload('preview', book);
      expect(preview.status).toBe(200);
      expect(preview.report.counts).toEqual({ create: 0, update: 3, unchanged: 6, invalid: 0 });
      const dinhLap = preview.report.rows.find((r) => r.id === 'ccn-dinh-lap')!;
      expect(dinhLap.changes).toEqual(
        expect.arrayContaining([
          { field: 'leasable_ha', from: null, to: 50 },
          { field: 'occupied_ha', from: null, to: 20 },
          { field: 'source_date', from: '2025-07-01', to: '2025-12-10' },
        ]),
      );
      expect(await writes()).toBe(before);

      const commit = await upload('commit', book);
      expect(commit.status).toBe(200);
      expect(commit.report.committed).toBe(true);
      expect(await writes()).toBe(before + 3);

      // The map serves the figures and what follows from them.
      const layer = (await (await editor.send('GET', '/api/layers/industrial_clusters')).json()) as { features: { id: string; properties: Record<string, unknown> }[] };
      expect(layer.features.find((f) => f.id === 'ccn-dinh-lap')!.properties).toMatchObject({ leasable_ha: 50, occupied_ha: 20, vacant_ha: 30, occupancy_pct: 40 });
      // The returned document is a source of the zone, listed with the others.
      const zone = layer.features.find((f) => f.id === 'ccn-hoa-son-1')!.properties;
      expect(zone.source_date).toBe('2025-12-10');
      const key = (zone.sources as string[]).find((k) => k.startsWith('RETURN-'))!;
      expect(key).toBe('RETURN-2025-12-10-12-bc-sct');
      const sources = (await (await editor.send('GET', '/api/sources')).json()) as { key: string; publisher: string }[] | { sources: { key: string; publisher: string }[] };
      const list = Array.isArray(sources) ? sources : sources.sources;
      expect(list.find((s) => s.key === key)?.publisher).toBe('Sở Công Thương tỉnh Lạng Sơn');
      // History says who, and from which returned file — with the reason where one was given.
      const history = await db().query<{ feature_id: string; actor: string; note: string }>(
        "SELECT feature_id, actor, note FROM feature_history WHERE feature_id IN ('ccn-dinh-lap', 'ccn-ho-son-1') ORDER BY id DESC LIMIT 2",
      );
      expect(history).toEqual(
        expect.arrayContaining([
          { feature_id: 'ccn-dinh-lap', actor: 'editor-user', note: 'import phieu-tra-loi.xlsx' },
          { feature_id: 'ccn-ho-son-1', actor: 'editor-user', note: 'import phieu-tra-loi.xlsx — Dừng thi công chờ điều chỉnh quy hoạch' },
        ]),
      );
      // The gaps close; the inventory counts the new figures.
      const report = await completeness();
      expect(report.layers.find((l) => l.layer === 'industrial_clusters')!.missing.occupied_ha).toBe(7);
      type Row = { id: string; figures: Record<string, Figure> };
      const inventory = (await (await editor.send('GET', '/api/reports/inventory')).json()) as { province: { occupied_ha: { known: number } }; groups: { rows: Row[] }[] };
      expect(inventory.province.occupied_ha.known).toBeGreaterThanOrEqual(2);
      // Each row says which figures it has and when each was recorded; so does the printable page.
      const row = inventory.groups.flatMap((g) => g.rows).find((r) => r.id === 'ccn-dinh-lap')!;
      expect(row.figures.occupied_ha).toEqual({ state: 'present', since: null, recorded: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      expect(row.figures.developer!.state).toBe('missing');
      const page = await (await editor.send('GET', '/api/reports/inventory.html?lang=en')).text();
      expect(page).toContain('Figures given: 6/8');
      expect(page).toContain(`Occupied land ${row.figures.occupied_ha!.recorded}`);

      // Returned twice: nothing changes.
      const again = await upload('commit', book);
      expect(again.report.counts).toEqual({ create: 0, update: 0, unchanged: 9, invalid: 0 });
      expect(await writes()).toBe(before + 3);
    });

    it('refuses a row naming no existing zone: a return creates nothing', async () => {
      const book = await template();
      const { sheet, column } = table(book);
      const row = sheet.getRow(sheet.rowCount + 1);
      row.getCell(1).value = 'ccn-khong-co';
      row.getCell(column('status')).value = 'Đã phê duyệt';
      const { status, report } = await upload('commit', book);
      expect(status).toBe(422);
      expect(report.rows.find((r) => r.id === 'ccn-khong-co')!.errors.map((e) => e.code)).toEqual(['id_unknown']);
    });
  });
});
