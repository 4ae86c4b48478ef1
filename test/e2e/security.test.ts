// The client works under the server's strict Content-Security-Policy: the map, the
// dashboard, the print sheet and the server's own HTML pages load with no violation.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../server/print/browser.ts';
import { origin, waitForMapIdle } from './support/page.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

declare global {
  interface Window {
    cspViolations?: string[];
  }
}

/** A page recording every CSP violation, as the event the browser fires and as its console message. */
async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations!.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'}`));
  });
  const console: string[] = [];
  page.on('console', (m) => /Content.Security.Policy/i.test(m.text()) && console.push(m.text()));
  return { page, violations: async () => [...(await page.evaluate(() => window.cspViolations ?? [])), ...console] };
}

/** Opens a page and checks that it was served under the strict policy. */
async function openUnderPolicy(page: Page, path: string) {
  const res = (await page.goto(`${origin()}${path}`))!;
  expect(res.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
}

describe('content security policy', () => {
  it('records a violation when one happens (the watch works)', async () => {
    const { page, violations } = await watchedPage();
    await openUnderPolicy(page, '/#lang=vi');
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.head.append(script);
    });
    await expect.poll(violations).not.toEqual([]);
    expect(await page.evaluate(() => (window as { injected?: boolean }).injected)).toBeUndefined();
    await page.close();
  });

  it('loads the map and the dashboard with no violation', async () => {
    const { page, violations } = await watchedPage();
    await openUnderPolicy(page, '/#lang=vi&sel=industrial_parks/vsip-lang-son');
    await waitForMapIdle(page);
    await page.getByRole('button', { name: 'Thống kê' }).click();
    await page.getByRole('dialog', { name: 'Thống kê' }).locator('canvas').first().waitFor();
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('loads the print sheet with no violation', async () => {
    const { page, violations } = await watchedPage();
    await openUnderPolicy(page, '/#lang=vi&print=A4-landscape&title=CSP');
    await page.waitForFunction(() => (window as { lsgisPrintReady?: boolean }).lsgisPrintReady === true, null, { timeout: 60_000 });
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it.each(['/ogc/collections?f=html', '/ogc/collections/industrial_parks/items?f=html', '/api/reports/inventory.html'])(
    'loads the server page %s with its inline stylesheet allowed',
    async (path) => {
      const { page, violations } = await watchedPage();
      await openUnderPolicy(page, path);
      // The stylesheet applied: table cells have their border.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('td')!).borderLeftStyle)).toBe('solid');
      expect(await violations()).toEqual([]);
      await page.close();
    },
  );
});
