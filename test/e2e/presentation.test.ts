// Presentation mode, as a leader uses it: start, arrow through the slides, end.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../scripts/lib/browser.ts';
import { openPage, origin, waitForMapIdle } from './support/page.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

type View = { id: string; title_vi: string; state: string };

describe('presentation', () => {
  it('plays the saved views full screen with the arrow keys, clean of editing chrome', async () => {
    const { views } = (await (await fetch(`${origin()}/api/views`)).json()) as { views: View[] };
    expect(views.length).toBeGreaterThanOrEqual(3);
    const { page, problems } = await openPage(browser);
    await page.getByRole('button', { name: 'Trình chiếu' }).click();
    const slide = page.locator('.presentation');
    await slide.getByRole('heading', { name: views[0]!.title_vi }).waitFor();
    console.log(`first slide: ${await slide.textContent()}`);
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.locator('#sidebar').isVisible()).toBe(false);

    await page.keyboard.press('ArrowRight');
    await slide.getByRole('heading', { name: views[1]!.title_vi }).waitFor();
    expect(page.url()).toContain(`present=${views[1]!.id}`);
    const target = new URLSearchParams(views[1]!.state).get('map')!.split('/').map(Number);
    await page.waitForFunction(() => !window.lsgis!.map.isMoving());
    await waitForMapIdle(page);
    const zoom = await page.evaluate(() => window.lsgis!.map.getZoom());
    expect(zoom).toBeCloseTo(target[0]!, 1);

    await page.keyboard.press('ArrowLeft');
    await slide.getByRole('heading', { name: views[0]!.title_vi }).waitFor();
    await page.keyboard.press('End');
    await slide.getByText(`Trang ${views.length}/${views.length}`).waitFor();

    await page.keyboard.press('Escape');
    await slide.waitFor({ state: 'detached' });
    expect(await page.locator('.topbar').isVisible()).toBe(true);
    expect(page.url()).not.toContain('present=');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a shared link straight at its slide', async () => {
    const { views } = (await (await fetch(`${origin()}/api/views`)).json()) as { views: View[] };
    const { page } = await openPage(browser, `#present=${views[2]!.id}`);
    await page.locator('.presentation').getByRole('heading', { name: views[2]!.title_vi }).waitFor();
    await page.close();
  });
});
