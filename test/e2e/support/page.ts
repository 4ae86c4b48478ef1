import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { inject } from 'vitest';

export const origin = () => inject('e2eOrigin');

export type Watched = { page: Page; problems: string[]; requests: string[] };

/**
 * A page that records what must never happen: requests leaving the machine, page
 * errors and console errors.
 */
export async function openPage(browser: Browser, hash = '', viewport = { width: 1400, height: 900 }): Promise<Watched> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    requests.push(url);
    if (!url.startsWith(origin()) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`external request: ${url}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => r.status() >= 500 && problems.push(`server error ${r.status()}: ${r.url()}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  await page.goto(`${origin()}/${hash}`);
  await waitForMapIdle(page);
  return { page, problems, requests };
}

/** Until every layer's data is in the map and MapLibre has nothing left to draw. */
export async function waitForMapIdle(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const map = window.lsgis?.map;
      if (!map || !map.loaded() || !map.areTilesLoaded() || map.isMoving()) return false;
      const sources = Object.keys(map.getStyle().sources);
      return sources.every((id) => map.isSourceLoaded(id));
    },
    null,
    { timeout: 60_000, polling: 100 },
  );
  // One more frame for symbols placed after the last tile.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Ids of the features of a registry layer that MapLibre has actually drawn. */
export function renderedIds(page: Page, registryLayer: string): Promise<string[]> {
  return page.evaluate((layer) => {
    const map = window.lsgis!.map;
    const ids = map.getStyle().layers.filter((l) => l.id.startsWith(`${layer}:`)).map((l) => l.id);
    return [...new Set(map.queryRenderedFeatures({ layers: ids }).map((f) => String(f.properties.fid)))];
  }, registryLayer);
}

/** Pixels of the map canvas within a small distance (sum over R, G, B) of a colour. */
export async function countColour(page: Page, hex: string, tolerance = 18): Promise<number> {
  const box = (await page.locator('.map canvas').boundingBox())!;
  const png = PNG.sync.read(await page.screenshot({ clip: box }));
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (Math.abs(png.data[i]! - r) + Math.abs(png.data[i + 1]! - g) + Math.abs(png.data[i + 2]! - b) <= tolerance) n++;
  }
  return n;
}

/** Signs in through the dialog as the e2e admin (created by the global setup). */
export async function signInAsAdmin(page: Page): Promise<void> {
  const { username, password } = inject('e2eAdmin');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  const dialog = page.getByRole('dialog', { name: 'Đăng nhập' });
  await dialog.getByLabel('Tên đăng nhập').fill(username);
  await dialog.getByLabel('Mật khẩu').fill(password);
  await dialog.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByText(`Đã đăng nhập: ${username} (quản trị)`).waitFor();
}
