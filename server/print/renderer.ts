// Prints pages of our own server (the map's print layout, the inventory page) to PDF
// or PNG with headless Chromium. One browser, started on first use and reused, one
// context per page. How many pages are printed at once, how many wait, and how often one
// caller may print is the print class of heavy work (http/heavy-work.ts), in front of
// every caller (print/routes.ts). Without Chromium the service says so (503) instead of failing.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { QueryCancelledError, throwIfCancelled } from '../db/adapter.ts';
import { HttpError } from '../http/errors.ts';
import { launchBrowser } from './browser.ts';

export type Paper = 'A4' | 'A3';
export type PrintOptions = { format: 'pdf' | 'png'; paper: Paper; landscape: boolean; cookies?: { name: string; value: string }[] };

// CSS pixels of each paper at 96 dpi, portrait.
const PAPER_PX: Record<Paper, [number, number]> = { A4: [794, 1123], A3: [1123, 1587] };
const READY_TIMEOUT_MS = 60_000;

export class PrintRenderer {
  private browser: Promise<Browser> | undefined;

  constructor(private readonly chromiumPath: string) {}

  available(): boolean {
    return fs.existsSync(this.chromiumPath);
  }

  /**
   * Renders `url` once the page sets window.lsgisPrintReady (or, if told, on load). When
   * `signal` aborts (the requester has gone) the page is closed at once and this rejects
   * with QueryCancelledError: a page that never becomes ready no longer holds its place
   * for the whole ready timeout.
   */
  async render(url: string, options: PrintOptions, waitForReadyFlag: boolean, signal: AbortSignal): Promise<Buffer> {
    if (!this.available()) {
      throw new HttpError(503, 'print_unavailable', `Printing needs Chromium at ${this.chromiumPath} (set CHROMIUM_PATH); use the browser's own print instead.`);
    }
    const [shortSide, longSide] = PAPER_PX[options.paper];
    const viewport = options.landscape ? { width: longSide, height: shortSide } : { width: shortSide, height: longSide };
    const browser = await (this.browser ??= launchBrowser(this.chromiumPath));
    throwIfCancelled(signal);
    const context = await browser.newContext({ viewport, deviceScaleFactor: options.format === 'png' ? 2 : 1 });
    // Closing the context makes whatever the page is waiting for (goto, the ready flag,
    // pdf) reject at once.
    const close = () => context.close().catch(() => {});
    signal.addEventListener('abort', close, { once: true });
    try {
      throwIfCancelled(signal);
      if (options.cookies?.length) await context.addCookies(options.cookies.map((c) => ({ ...c, url })));
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load', timeout: READY_TIMEOUT_MS });
      if (waitForReadyFlag) {
        await page.waitForFunction(() => (window as { lsgisPrintReady?: boolean }).lsgisPrintReady === true, null, { timeout: READY_TIMEOUT_MS });
      }
      if (options.format === 'png') return await page.screenshot({ type: 'png', fullPage: false });
      return await page.pdf({ format: options.paper, landscape: options.landscape, printBackground: true, preferCSSPageSize: true });
    } catch (error) {
      throw signal.aborted ? new QueryCancelledError() : error;
    } finally {
      signal.removeEventListener('abort', close);
      await close();
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    await (await browser?.catch(() => undefined))?.close();
  }
}
