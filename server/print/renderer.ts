// Prints pages of our own server (the map's print layout, the inventory page) to PDF
// or PNG with headless Chromium. One browser, started on first use and reused; a few
// pages at a time. Without Chromium the service says so (503) instead of failing.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { HttpError } from '../http/errors.ts';

export type Paper = 'A4' | 'A3';
export type PrintOptions = { format: 'pdf' | 'png'; paper: Paper; landscape: boolean; cookies?: { name: string; value: string }[] };

// CSS pixels of each paper at 96 dpi, portrait.
const PAPER_PX: Record<Paper, [number, number]> = { A4: [794, 1123], A3: [1123, 1587] };
const MAX_PAGES = 2;
const READY_TIMEOUT_MS = 60_000;

export class PrintRenderer {
  private browser: Promise<Browser> | undefined;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly chromiumPath: string) {}

  available(): boolean {
    return fs.existsSync(this.chromiumPath);
  }

  /** Renders `url` once the page sets window.lsgisPrintReady (or, if told, on load). */
  async render(url: string, options: PrintOptions, waitForReadyFlag: boolean): Promise<Buffer> {
    if (!this.available()) {
      throw new HttpError(503, 'print_unavailable', `Printing needs Chromium at ${this.chromiumPath} (set CHROMIUM_PATH); use the browser's own print instead.`);
    }
    await this.slot();
    try {
      const [shortSide, longSide] = PAPER_PX[options.paper];
      const viewport = options.landscape ? { width: longSide, height: shortSide } : { width: shortSide, height: longSide };
      const browser = await (this.browser ??= launchBrowser(this.chromiumPath));
      const context = await browser.newContext({ viewport, deviceScaleFactor: options.format === 'png' ? 2 : 1 });
      try {
        if (options.cookies?.length) await context.addCookies(options.cookies.map((c) => ({ ...c, url })));
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'load', timeout: READY_TIMEOUT_MS });
        if (waitForReadyFlag) {
          await page.waitForFunction(() => (window as { lsgisPrintReady?: boolean }).lsgisPrintReady === true, null, { timeout: READY_TIMEOUT_MS });
        }
        if (options.format === 'png') return await page.screenshot({ type: 'png', fullPage: false });
        return await page.pdf({ format: options.paper, landscape: options.landscape, printBackground: true, preferCSSPageSize: true });
      } finally {
        await context.close();
      }
    } finally {
      this.release();
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    await (await browser?.catch(() => undefined))?.close();
  }

  private async slot(): Promise<void> {
    if (this.active < MAX_PAGES) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
