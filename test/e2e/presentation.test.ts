// Presentation mode, as a leader uses it: start, arrow through the slides, end.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../server/print/browser.ts';
import { openPage, origin, signInAsAdmin, waitForMapIdle } from './support/page.ts';

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

  it('lets an editor save the current map as a slide, move it, play from it and delete it', async () => {
    const { views } = (await (await fetch(`${origin()}/api/views`)).json()) as { views: View[] };
    const { page, problems } = await openPage(browser, '#lang=vi&map=12/21.7/106.95&sel=industrial_clusters/ccn-na-duong-2');
    const panel = page.locator('.views-panel');
    await page.getByRole('tab', { name: 'Trang chiếu' }).click();
    // The public plays slides but does not keep them.
    await panel.getByRole('listitem').first().waitFor();
    expect(await panel.getByRole('button', { name: 'Lưu bản đồ hiện tại thành trang mới' }).count()).toBe(0);

    await signInAsAdmin(page);
    await panel.getByRole('button', { name: 'Lưu bản đồ hiện tại thành trang mới' }).click();
    const form = panel.getByRole('form', { name: 'Lưu bản đồ hiện tại thành trang mới' });
    await form.getByLabel('Tiêu đề (tiếng Việt)').fill('Cụm Na Dương 2 — quỹ đất');
    await form.getByLabel('Tiêu đề (tiếng Anh)').fill('Na Dương 2 cluster — land');
    await form.getByLabel('Nội dung trình bày (tiếng Việt)').fill('Gần mỏ than Na Dương.');
    await form.getByRole('button', { name: 'Lưu', exact: true }).click();
    const items = panel.getByRole('listitem');
    await page.waitForFunction((n) => document.querySelectorAll('.view-list > li').length === n, views.length + 1);
    expect(await items.last().textContent()).toContain('Cụm Na Dương 2 — quỹ đất');

    // Earlier by one: stored server-side, in that order.
    await panel.getByRole('button', { name: 'Đưa “Cụm Na Dương 2 — quỹ đất” lên trước' }).click();
    await items.nth(views.length - 1).getByText('Cụm Na Dương 2 — quỹ đất').waitFor();
    const stored = ((await (await fetch(`${origin()}/api/views`)).json()) as { views: View[] }).views;
    expect(stored.map((v) => v.title_vi)).toEqual([...views.slice(0, -1).map((v) => v.title_vi), 'Cụm Na Dương 2 — quỹ đất', views.at(-1)!.title_vi]);
    const made = stored.at(-2)!;
    expect(made.state).toBe('map=12/21.7/106.95&sel=industrial_clusters/ccn-na-duong-2');

    // Played from that slide, it shows the saved map with the zone selected.
    await panel.getByRole('button', { name: 'Trình chiếu từ trang “Cụm Na Dương 2 — quỹ đất”' }).click();
    const slide = page.locator('.presentation');
    await slide.getByRole('heading', { name: 'Cụm Na Dương 2 — quỹ đất' }).waitFor();
    await slide.getByText(`Trang ${views.length}/${views.length + 1}`).waitFor();
    expect(page.url()).toContain(`present=${made.id}`);
    expect(page.url()).toContain('sel=industrial_clusters/ccn-na-duong-2');
    await page.keyboard.press('Escape');
    await slide.waitFor({ state: 'detached' });

    // Deleted after a confirmation, the presentation is as before.
    await panel.getByRole('listitem').filter({ hasText: 'Cụm Na Dương 2 — quỹ đất' }).getByRole('button', { name: 'Xóa trang' }).click();
    await panel.getByRole('alertdialog').getByRole('button', { name: 'Xóa hẳn' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.view-list > li').length === n, views.length);
    const after = ((await (await fetch(`${origin()}/api/views`)).json()) as { views: View[] }).views;
    expect(after.map((v) => v.id)).toEqual(views.map((v) => v.id));
    expect(problems).toEqual([]);
    await page.close();
  });
});
