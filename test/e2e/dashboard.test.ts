// The dashboard: charts drawn, and a bar leads to its features on the map.
import type { Browser, Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../server/print/browser.ts';
import { openPage, renderedIds, waitForMapIdle } from './support/page.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** Clicks a chart where it shows a colour, as a person clicks the bar they see. */
async function clickColour(page: Page, canvas: Locator, hex: string) {
  const box = (await canvas.boundingBox())!;
  const png = PNG.sync.read(await canvas.screenshot());
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  for (let y = png.height - 1; y >= 0; y -= 2) {
    for (let x = 0; x < png.width; x += 2) {
      const i = (y * png.width + x) * 4;
      if (Math.abs(png.data[i]! - r) + Math.abs(png.data[i + 1]! - g) + Math.abs(png.data[i + 2]! - b) < 12) {
        // A few pixels inside the bar, away from its border.
        await page.mouse.click(box.x + x + 4, box.y + y - 6);
        return;
      }
    }
  }
  throw new Error(`no ${hex} in the chart`);
}

const openDashboard = async (page: Page) => {
  await page.getByRole('button', { name: 'Thống kê' }).click();
  const dialog = page.getByRole('dialog', { name: 'Thống kê' });
  await dialog.waitFor();
  await dialog.locator('canvas').first().waitFor();
  return dialog;
};

describe('dashboard', () => {
  it('draws the four charts, with honest empty states and the figures as tables', async () => {
    const { page, problems } = await openPage(browser);
    const dialog = await openDashboard(page);
    expect(await dialog.locator('figcaption').allTextContents()).toEqual([
      'Diện tích quy hoạch theo hiện trạng và loại (ha)',
      'Tỷ lệ lấp đầy theo khu, cụm (%)',
      'Đất công nghiệp còn trống (ha)',
      'Chiều dài cao tốc trong tỉnh theo hiện trạng (km)',
    ]);
    const landRows = await dialog.locator('table').first().locator('th[scope=row]').allTextContents();
    expect(landRows).toContain('Đang xây dựng');
    expect(await dialog.textContent()).toContain('Chưa có khu, cụm nào có số liệu lấp đầy.');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('turns a bar of land by status into a filter on the map and the list', async () => {
    const { page } = await openPage(browser);
    const dialog = await openDashboard(page);
    await clickColour(page, dialog.locator('canvas').first(), '#D55E00'); // under construction
    await dialog.waitFor({ state: 'detached' });
    await waitForMapIdle(page);
    expect(decodeURIComponent(page.url())).toMatch(/f=status:under_construction;kind:industrial_(park|cluster)|f=kind:industrial_(park|cluster);status:under_construction/);
    const shown = [...(await renderedIds(page, 'industrial_parks')), ...(await renderedIds(page, 'industrial_clusters'))];
    expect(shown.length).toBeGreaterThan(0);
    expect(await page.getByRole('tab', { name: 'Danh sách', selected: true }).count()).toBe(1);
    await page.close();
  });

  it('highlights the expressways of a status and frames them', async () => {
    const { page } = await openPage(browser);
    const dialog = await openDashboard(page);
    await clickColour(page, dialog.locator('canvas').last(), '#009E73'); // operating
    await dialog.waitFor({ state: 'detached' });
    await waitForMapIdle(page);
    const selected = await page.evaluate(() => {
      const map = window.lsgis!.map;
      return map
        .queryRenderedFeatures({ layers: ['expressways:line'] })
        .filter((f) => map.getFeatureState({ source: 'src:expressways', id: f.properties.fid }).selected)
        .map((f) => f.properties.status);
    });
    expect(selected.length).toBeGreaterThan(0);
    expect(new Set(selected)).toEqual(new Set(['operating']));
    await page.close();
  });
});
