// Finding and comparing sites, in the browser against the real server.
import type { Browser, Page } from 'playwright-core';
import { Geodesic } from 'geographiclib-geodesic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../server/print/browser.ts';
import { openPage, origin, renderedIds, waitForMapIdle } from './support/page.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const details = (page: Page, lang = 'vi') => page.getByRole('complementary', { name: lang === 'vi' ? 'Thông tin chi tiết' : 'Details' });

/** Screen position of a lon/lat on the map canvas. */
const screenPoint = (page: Page, lonLat: [number, number]) =>
  page.evaluate((ll) => {
    const map = window.lsgis!.map;
    const p = map.project(ll);
    const box = map.getCanvas().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, lonLat);

describe('finding sites', () => {
  it('finds "na duong" without diacritics; Enter zooms to and selects Na Dương', async () => {
    const { page, problems } = await openPage(browser);
    const box = page.getByRole('combobox', { name: 'Tìm kiếm' });
    await box.fill('na duong');
    const options = page.getByRole('option');
    await options.first().waitFor();
    const texts = await options.allTextContents();
    expect(texts[0]).toContain('Na Dương');
    expect(texts.join(' ')).toContain('Cụm công nghiệp Na Dương 1');
    await box.press('Enter');
    const panel = details(page);
    await panel.waitFor();
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toBe('Na Dương');
    await waitForMapIdle(page);
    const zoom = await page.evaluate(() => window.lsgis!.map.getZoom());
    expect(zoom).toBeGreaterThan(9);
    expect(page.url()).toMatch(/sel=communes\/\d{5}/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('moves through results with the arrow keys', async () => {
    const { page } = await openPage(browser);
    const box = page.getByRole('combobox');
    await box.fill('hop thanh');
    await page.getByRole('option').first().waitFor();
    await box.press('ArrowDown');
    const active = await page.getByRole('option', { selected: true }).textContent();
    await box.press('Enter');
    const heading = await details(page).getByRole('heading', { level: 2 }).textContent();
    expect(active).toContain(heading!);
    await page.close();
  });

  it('filters zones: list, map and counts agree, and the filter is in the link', async () => {
    const { page } = await openPage(browser);
    await page.getByRole('tab', { name: 'Danh sách' }).click();
    await page.locator('.filters summary').click();
    const zoneIds = async () => [...(await renderedIds(page, 'industrial_parks')), ...(await renderedIds(page, 'industrial_clusters'))].sort();
    const listed = async (layer: string) => {
      await page.getByLabel('Chọn lớp').selectOption(layer);
      return page.locator('.feature-list tbody tr').count();
    };

    await page.getByRole('checkbox', { name: 'Đã phê duyệt' }).check();
    await waitForMapIdle(page);
    const summary = await page.locator('.filters summary .count').textContent();
    const shown = Number(summary!.match(/(\d+)\/\d+/)![1]);
    expect(shown).toBeGreaterThan(0);
    expect((await zoneIds()).length).toBe(shown);
    expect((await listed('industrial_parks')) + (await listed('industrial_clusters'))).toBe(shown);

    await page.getByLabel('Đất còn trống ít nhất (ha)').fill('10');
    await waitForMapIdle(page);
    const vacantSummary = await page.locator('.filters summary .count').textContent();
    const vacantShown = Number(vacantSummary!.match(/(\d+)\/\d+/)![1]);
    expect((await zoneIds()).length).toBe(vacantShown);
    expect((await listed('industrial_parks')) + (await listed('industrial_clusters'))).toBe(vacantShown);
    expect(decodeURIComponent(page.url())).toContain('f=status:approved;vacant:10');

    // The same link opens the same filtered map.
    const { page: other } = await openPage(browser, page.url().slice(page.url().indexOf('#')));
    expect([...(await renderedIds(other, 'industrial_parks')), ...(await renderedIds(other, 'industrial_clusters'))].sort()).toEqual(await zoneIds());
    await other.close();
    await page.close();
  });
});

describe('analysing sites', () => {
  it('shows distances to the nearest gate and expressways in the details', async () => {
    const { page } = await openPage(browser, '#sel=industrial_parks/vsip-lang-son');
    const panel = details(page);
    await panel.getByText('Cửa khẩu gần nhất').waitFor();
    const text = await panel.locator('.proximity').textContent();
    expect(text).toMatch(/\d+(,\d)? km/);
    expect(text).toContain('Đường chim bay');
    await page.close();
  });

  it('finds the zones within 30 km of Hữu Nghị gate and draws the buffer', async () => {
    const { page } = await openPage(browser);
    await page.getByRole('tab', { name: 'Phân tích' }).click();
    await page.getByLabel('Tính từ').selectOption('border_gates/cua-khau-huu-nghi');
    await page.getByLabel('Bán kính (km)').fill('30');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    const result = page.locator('.within-results li');
    await result.first().waitFor();
    const api = (await (await page.request.get(`${origin()}/api/analysis/within?from=border_gates/cua-khau-huu-nghi&radius_km=30`)).json()) as { features: unknown[] };
    expect(await result.count()).toBe(api.features.length);
    await waitForMapIdle(page);
    const drawn = await page.evaluate(() => window.lsgis!.map.queryRenderedFeatures({ layers: ['analysis:buffer-line'] }).length);
    expect(drawn).toBeGreaterThan(0);
    await page.close();
  });

  it('measures an area on the ellipsoid and gives a point in VN-2000', async () => {
    const { page } = await openPage(browser, '#map=12/21.85/106.76');
    await page.getByRole('tab', { name: 'Phân tích' }).click();
    await page.getByRole('button', { name: 'Đo khoảng cách' }).click();
    const a: [number, number] = [106.74, 21.84];
    const b: [number, number] = [106.78, 21.86];
    for (const p of [a, b]) {
      const s = await screenPoint(page, p);
      await page.mouse.click(s.x, s.y);
    }
    const shown = await page.getByTestId('measured-length').textContent();
    // The clicks land on pixels: recompute from the points the map recorded.
    const measured = Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0]).s12! / 1000;
    expect(Number(shown!.replace(' km', '').replace(',', '.'))).toBeCloseTo(measured, 1);

    await page.getByRole('button', { name: 'Tọa độ một điểm' }).click();
    const s = await screenPoint(page, [106.758, 21.848]);
    await page.mouse.click(s.x, s.y);
    const vn2000 = await page.getByTestId('vn2000-tm3').textContent();
    expect(vn2000).toMatch(/X = 2\.416\.9\d\d,\d\d m/);
    expect(vn2000).toMatch(/Y = 448\.9\d\d,\d\d m/);
    await page.close();
  });

  it('compares two zones side by side', async () => {
    const { page } = await openPage(browser, '#sel=industrial_parks/vsip-lang-son');
    await details(page).getByRole('button', { name: 'Thêm vào so sánh' }).click();
    await page.getByRole('tab', { name: 'Phân tích' }).click();
    await page.getByRole('tab', { name: 'Danh sách' }).click();
    await page.getByLabel('Chọn lớp').selectOption('industrial_clusters');
    await page.getByRole('button', { name: 'Cụm công nghiệp Hồ Sơn 1' }).click();
    await details(page).getByRole('button', { name: 'Thêm vào so sánh' }).click();
    expect(page.url()).toContain('cmp=industrial_parks/vsip-lang-son,industrial_clusters/ccn-ho-son-1');
    await page.getByRole('tab', { name: 'Phân tích' }).click();
    await page.getByRole('button', { name: 'Mở bảng so sánh' }).click();
    const dialog = page.getByRole('dialog', { name: 'So sánh khu, cụm công nghiệp' });
    await dialog.waitFor();
    const headers = await dialog.locator('thead th').allTextContents();
    expect(headers).toEqual(['', 'Khu công nghiệp VSIP Lạng Sơn', 'Cụm công nghiệp Hồ Sơn 1']);
    await dialog.getByText(/km –/).first().waitFor();
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Tải bảng (CSV)' }).click();
    const file = await (await download).path();
    const csv = await import('node:fs').then((fs) => fs.readFileSync(file!, 'utf8'));
    expect(csv.startsWith('\uFEFF,Khu công nghiệp VSIP Lạng Sơn,Cụm công nghiệp Hồ Sơn 1')).toBe(true);
    expect(csv).toContain('599,76 ha');
    await page.close();
  });
});
