// The map as people use it, in headless Chromium against the real server.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../server/print/browser.ts';
import { countColour, openPage, origin, renderedIds, waitForMapIdle } from './support/page.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

type Layers = { layers: { id: string; group: string; featureCount: number; defaultVisible: boolean }[]; vocabularies: { status: { id: string; color: string }[] } };
const catalogue = async (): Promise<Layers> => (await fetch(`${origin()}/api/layers`)).json() as Promise<Layers>;

/** A screen point near the feature's label point where a click reaches the map and picks that feature first. */
async function pointPicking(page: Page, layer: string, id: string): Promise<{ x: number; y: number }> {
  // Polled: on a busy machine the layer's data may reach the map after it first went idle.
  const found = await page.waitForFunction(
    ([layer, id]: [string, string]) => {
      const map = window.lsgis!.map;
      const interactive = map.getStyle().layers.map((l) => l.id).filter((l) => /:(fill|outline|outline-indicative|line|line-planned|circle|icon|halo|point)$/.test(l));
      const [anchor] = map.querySourceFeatures(`pts:${layer}`, { filter: ['==', ['get', 'fid'], id] });
      if (!anchor || anchor.geometry.type !== 'Point') return null;
      const centre = map.project(anchor.geometry.coordinates as [number, number]);
      const canvas = map.getCanvas().getBoundingClientRect();
      // Spiral out from the label point until a click there would pick the feature.
      for (let r = 0; r <= 120; r += 8) {
        for (let a = 0; a < 360; a += r === 0 ? 360 : 30) {
          const x = centre.x + r * Math.cos((a * Math.PI) / 180);
          const y = centre.y + r * Math.sin((a * Math.PI) / 180);
          const top = map.queryRenderedFeatures([[x - 6, y - 6], [x + 6, y + 6]], { layers: interactive })[0];
          // …and the click reaches the map: at 1400 px the attribution covers VSIP's label point.
          const reachesMap = document.elementFromPoint(canvas.left + x, canvas.top + y) === map.getCanvas();
          if (top && top.properties.fid === id && top.layer.id.startsWith(`${layer}:`) && reachesMap) return { x: canvas.left + x, y: canvas.top + y };
        }
      }
      return null;
    },
    [layer, id] as [string, string],
    { timeout: 20_000, polling: 250 },
  ).catch(() => null);
  const point = (await found?.jsonValue()) as { x: number; y: number } | undefined;
  if (!point) throw new Error(`no clickable point for ${layer}/${id}`);
  return point;
}

describe('the map, first ten seconds', () => {
  it('frames the province with every layer drawn, from our server only', async () => {
    const started = Date.now();
    const { page, problems } = await openPage(browser);
    console.log(`navigation → map idle: ${Date.now() - started} ms`);
    const { layers } = await catalogue();
    // Every thematic layer shown by default (parcels are off until asked for, from z13).
    for (const layer of layers.filter((l) => l.group === 'thematic' && l.defaultVisible)) {
      const drawn = await renderedIds(page, layer.id);
      expect(drawn.length, `${layer.id} drawn`).toBeGreaterThan(0);
    }
    expect((await renderedIds(page, 'communes')).length).toBe(65);
    // The whole province is in view.
    const bounds = await page.evaluate(() => window.lsgis!.map.getBounds().toArray());
    expect(bounds[0][0]).toBeLessThan(106.1);
    expect(bounds[1][0]).toBeGreaterThan(107.35);
    expect(bounds[0][1]).toBeLessThan(21.33);
    expect(bounds[1][1]).toBeGreaterThan(22.45);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws statuses in the palette colours, and a hidden layer disappears', async () => {
    const { page } = await openPage(browser);
    const { vocabularies } = await catalogue();
    const orange = vocabularies.status.find((s) => s.id === 'under_construction')!.color;
    const before = await countColour(page, orange);
    expect(before).toBeGreaterThan(200);
    await page.getByRole('checkbox', { name: /Đường cao tốc/ }).uncheck();
    await waitForMapIdle(page);
    const after = await countColour(page, orange);
    expect(after).toBeLessThan(before / 2);
    expect(await renderedIds(page, 'expressways')).toEqual([]);
    expect(page.url()).not.toContain('expressways');
    await page.close();
  });

  it('shows a zone’s details on click, with the accuracy class in sight', async () => {
    const { page } = await openPage(browser, '#lang=vi&map=12/21.532/106.335');
    const point = await pointPicking(page, 'industrial_parks', 'vsip-lang-son');
    await page.mouse.click(point.x, point.y);
    const panel = page.getByRole('complementary', { name: 'Thông tin chi tiết' });
    await panel.waitFor();
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toBe('Khu công nghiệp VSIP Lạng Sơn');
    expect(await panel.getByRole('note').textContent()).toContain('không phải ranh giới pháp lý');
    expect(await panel.textContent()).toContain('599,76 ha');
    expect(page.url()).toContain('sel=industrial_parks/vsip-lang-son');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await page.close();
  });

  it('switches every string to English and back', async () => {
    const { page } = await openPage(browser, '#sel=border_gates/cua-khau-huu-nghi');
    await page.getByRole('button', { name: 'Chuyển sang tiếng Anh' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lạng Sơn industrial zones map' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByRole('complementary', { name: 'Details' }).textContent()).toContain('Location accuracy');
    const label = await page.evaluate(() => JSON.stringify(window.lsgis!.map.getLayoutProperty('industrial_parks:label', 'text-field')));
    expect(label).toContain('name_en');
    await page.getByRole('button', { name: 'Switch to Vietnamese' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bản đồ khu, cụm công nghiệp tỉnh Lạng Sơn' }).waitFor();
    await page.close();
  });

  it('opens a copied link in the same state', async () => {
    const { page } = await openPage(browser, '#lang=en&map=11/21.95/106.72&layers=border_gates,communes,province&sel=border_gates/cua-khau-huu-nghi');
    await page.getByRole('complementary', { name: 'Details' }).waitFor();
    await page.mouse.move(700, 400);
    await page.mouse.wheel(0, -200);
    // The wheel zoom has happened, ended, and the link says where it ended.
    await page.waitForFunction(() => {
      const map = window.lsgis!.map;
      const zoom = Number(/map=([\d.]+)\//.exec(location.hash)?.[1]);
      return !map.isMoving() && zoom !== 11 && Math.abs(zoom - map.getZoom()) < 0.01;
    });
    await waitForMapIdle(page);
    const copied = page.url();
    const state = async (p: Page) => ({
      lang: await p.evaluate(() => document.documentElement.lang),
      view: await p.evaluate(() => {
        const m = window.lsgis!.map;
        return [+m.getZoom().toFixed(1), +m.getCenter().lat.toFixed(3), +m.getCenter().lng.toFixed(3)];
      }),
      visible: await p.evaluate(() =>
        [...new Set(window.lsgis!.map.getStyle().layers.filter((l) => l.layout?.visibility !== 'none' && l.id.includes(':') && !l.id.startsWith('analysis:')).map((l) => l.id.split(':')[0]))].sort(),
      ),
      details: await p.getByRole('complementary', { name: 'Details' }).getByRole('heading', { level: 2 }).textContent(),
    });
    const original = await state(page);
    const { page: other } = await openPage(browser, copied.slice(copied.indexOf('#')));
    await other.getByRole('complementary', { name: 'Details' }).waitFor();
    expect(await state(other)).toEqual(original);
    expect(original.visible).toEqual(['border_gates', 'communes', 'province']);
    await page.close();
    await other.close();
  });

  it('lists a layer’s features and zooms to the one chosen', async () => {
    const { page } = await openPage(browser);
    await page.getByRole('tab', { name: 'Danh sách' }).click();
    await page.getByLabel('Chọn lớp').selectOption('industrial_clusters');
    const zoomBefore = await page.evaluate(() => window.lsgis!.map.getZoom());
    await page.getByRole('button', { name: 'Cụm công nghiệp Hồ Sơn 1' }).click();
    await page.getByRole('complementary', { name: 'Thông tin chi tiết' }).waitFor();
    await page.waitForFunction((z) => window.lsgis!.map.getZoom() > z + 2 && !window.lsgis!.map.isMoving(), zoomBefore);
    expect(await renderedIds(page, 'industrial_clusters')).toContain('ccn-ho-son-1');
    await page.close();
  });

  it('works with the keyboard: a layer toggled with Space', async () => {
    const { page } = await openPage(browser);
    const box = page.getByRole('checkbox', { name: /Cửa khẩu/ }).first();
    await box.focus();
    await page.keyboard.press('Space');
    await waitForMapIdle(page);
    expect(await renderedIds(page, 'border_gates')).toEqual([]);
    await page.keyboard.press('Space');
    await waitForMapIdle(page);
    expect((await renderedIds(page, 'border_gates')).length).toBeGreaterThan(0);
    await page.close();
  });

  it('fits a tablet: the layer panel opens from the menu, details float over the map', async () => {
    const { page, problems } = await openPage(browser, '#sel=industrial_parks/vsip-lang-son', { width: 768, height: 1024 });
    const details = page.getByRole('complementary', { name: 'Thông tin chi tiết' });
    await details.waitFor();
    expect(await page.locator('#sidebar').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Mở bảng lớp bản đồ' }).click();
    expect(await page.locator('#sidebar').isVisible()).toBe(true);
    const mapBox = (await page.locator('.map').boundingBox())!;
    expect(mapBox.width).toBeGreaterThan(700);
    expect(problems).toEqual([]);
    await page.close();
  });
});
