// Keeping the map current, in the browser against the real server: sign in, edit a
// zone's status, see the legend and the map change, see the history, revert, sign out.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../server/print/browser.ts';
import { countColour, openPage, origin, signInAsAdmin, waitForMapIdle } from './support/page.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

// Zones are filled at 55 % opacity over the land colour: count the blend.
const OPERATING = '#009E73';
const LAND = '#fbfaf7';
const blend = (hex: string, opacity: number, over = LAND) =>
  `#${[1, 3, 5].map((i) => Math.round(opacity * parseInt(hex.slice(i, i + 2), 16) + (1 - opacity) * parseInt(over.slice(i, i + 2), 16)).toString(16).padStart(2, '0')).join('')}`;
const OPERATING_FILL = blend(OPERATING, 0.55);

const legendOf = (page: Page, layerTitle: string) => page.getByRole('list', { name: `Chú giải: ${layerTitle}` });

describe('keeping the map current', () => {
  it('signs in, edits a zone’s status, sees legend, map and history change, reverts, signs out', async () => {
    // VSIP at zoom 12.5 fills part of the screen; the other zones stay out of view.
    const { page, problems } = await openPage(browser, '#lang=vi&map=12.5/21.4787/106.362&sel=industrial_parks/vsip-lang-son');
    const panel = page.getByRole('complementary', { name: 'Thông tin chi tiết' });
    await panel.waitFor();
    expect(await panel.textContent()).not.toContain('Ghi chú nội bộ');
    const parks = legendOf(page, 'Khu công nghiệp');
    expect(await parks.textContent()).not.toContain('Đang hoạt động');
    const greenBefore = await countColour(page, OPERATING_FILL, 30);

    await signInAsAdmin(page);
    // Staff see the internal fields.
    await panel.getByText('Ghi chú nội bộ').waitFor();

    await panel.getByRole('button', { name: 'Sửa thông tin' }).click();
    const form = page.getByRole('complementary', { name: 'Thông tin chi tiết' });
    await form.getByLabel('Hiện trạng', { exact: true }).selectOption('operating');
    await form.getByLabel('Ghi chú nội bộ', { exact: false }).first().fill('Đàm phán giá thuê (nội bộ)');
    await form.getByRole('button', { name: 'Lưu', exact: true }).click();

    // Back to the details, with the new status, in the legend and on the map.
    await panel.getByText('Đang hoạt động').first().waitFor();
    await legendOf(page, 'Khu công nghiệp').getByText('Đang hoạt động').waitFor();
    await waitForMapIdle(page);
    expect(await countColour(page, OPERATING_FILL, 30)).toBeGreaterThan(greenBefore + 5000);

    // The history shows who changed what.
    const history = panel.getByRole('region', { name: 'Lịch sử thay đổi' });
    const latest = history.getByRole('listitem').first();
    await latest.getByText('e2e-admin').waitFor();
    expect(await latest.textContent()).toMatch(/Hiện trạng:\s*Đang xây dựng\s*→\s*Đang hoạt động/);

    // Revert that change: a new change puts the status back.
    await latest.getByRole('button', { name: 'Hoàn tác' }).click();
    await legendOf(page, 'Khu công nghiệp').getByText('Đang xây dựng').waitFor();
    await page.waitForFunction(() => !document.querySelector('[aria-label="Chú giải: Khu công nghiệp"]')?.textContent?.includes('Đang hoạt động'));
    await history.getByText('hoàn tác', { exact: false }).first().waitFor();

    // Signed out, the internal fields are gone: from the panel and from the data.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.details-panel')?.textContent?.includes('Ghi chú nội bộ'));
    const served = await page.evaluate(async () => (await fetch('/api/features/industrial_parks/vsip-lang-son')).text());
    expect(served).not.toContain('internal_notes');
    expect(served).not.toContain('Đàm phán');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('as of a date', () => {
  it('redraws the thematic layers from history, and says so', async () => {
    const { page } = await openPage(browser, '#lang=en&at=2000-01-01');
    await page.getByText('The map as it was on').waitFor();
    const drawn = await page.evaluate(() => window.lsgis!.map.querySourceFeatures('src:industrial_parks').length);
    expect(drawn).toBe(0);
    await page.getByRole('button', { name: 'Back to today' }).click();
    await waitForMapIdle(page);
    await page.waitForFunction(() => window.lsgis!.map.querySourceFeatures('src:industrial_parks').length > 0);
    expect(page.url()).not.toContain('at=');
    expect(origin()).toMatch(/^http/);
    await page.close();
  });
});
