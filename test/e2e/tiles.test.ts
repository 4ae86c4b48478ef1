// A layer delivered as vector tiles (land parcels): drawn from /tiles, never downloaded
// whole, and selectable like any feature.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../server/print/browser.ts';
import { openPage, origin, renderedIds } from './support/page.ts';
import { E2E_PARCELS } from './support/global-setup.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('vector tiles in the map', () => {
  it('draws parcels from tiles at their zoom, and shows one parcel’s details', async () => {
    const { layers } = (await (await fetch(`${origin()}/api/layers`)).json()) as { layers: { id: string; featureCount: number; bbox: number[] }[] };
    const parcels = layers.find((l) => l.id === 'parcels')!;
    expect(parcels.featureCount).toBe(E2E_PARCELS);
    const [minLon, minLat, maxLon, maxLat] = parcels.bbox as [number, number, number, number];
    const { page, problems, requests } = await openPage(browser, `#layers=parcels,communes,province&map=14/${((minLat + maxLat) / 2).toFixed(5)}/${((minLon + maxLon) / 2).toFixed(5)}`);
    await page.waitForFunction(() => window.lsgis!.map.queryRenderedFeatures({ layers: ['parcels:line'] }).length > 0, null, { timeout: 30_000 });
    const drawn = await renderedIds(page, 'parcels');
    expect(drawn.length).toBeGreaterThan(0);
    // (Tiles are fetched by MapLibre's worker: Playwright sees those requests too.)
    expect(requests.some((u) => u.endsWith('/tiles/parcels.json'))).toBe(true);
    expect(requests.some((u) => /\/tiles\/parcels\/14\/\d+\/\d+\.mvt/.test(u))).toBe(true);
    expect(requests.some((u) => u.endsWith('/api/layers/parcels'))).toBe(false);

    // Click where a parcel's outline is drawn (scanning the canvas as the eye would).
    const point = await page.evaluate(() => {
      const map = window.lsgis!.map;
      const box = map.getCanvas().getBoundingClientRect();
      for (let y = 40; y < box.height - 40; y += 5) {
        for (let x = 40; x < box.width - 40; x += 5) {
          if (map.queryRenderedFeatures([[x - 3, y - 3], [x + 3, y + 3]], { layers: ['parcels:line'] }).length) return { x: box.left + x, y: box.top + y };
        }
      }
      return null;
    });
    expect(point).not.toBeNull();
    await page.mouse.click(point!.x, point!.y);
    const panel = page.getByRole('complementary', { name: 'Thông tin chi tiết' });
    await panel.waitFor();
    expect(await panel.textContent()).toContain('Thửa');
    expect(page.url()).toMatch(/sel=parcels\//);
    expect(problems).toEqual([]);
    await page.close();
  });
});
