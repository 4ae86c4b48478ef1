// Client benchmark: time from navigation to map idle in headless Chromium (software
// WebGL), against a reference measured in the same run — the same app with every
// layer hidden, i.e. the cost of the page, MapLibre and the empty map alone — and the
// gzip size of what the browser downloads.
//   npx tsx scripts/bench/client.ts [--runs 5]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildClientIfStale } from '../build-client-if-stale.ts';
import { launchBrowser } from '../../server/print/browser.ts';
import { startServerProcess } from '../lib/server-process.ts';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const root = path.resolve(import.meta.dirname, '../..');

function bundleSizes() {
  const dir = path.join(root, 'client/dist/assets');
  const rows = fs
    .readdirSync(dir)
    .filter((f) => /\.(m?js|css)$/.test(f))
    .map((f) => {
      const bytes = fs.readFileSync(path.join(dir, f));
      return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
  const js = rows.filter((r) => /\.m?js$/.test(r.file));
  return { rows, jsGzip: js.reduce((s, r) => s + r.gzip, 0), jsRaw: js.reduce((s, r) => s + r.raw, 0) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

buildClientIfStale();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-bench-client-'));
const server = await startServerProcess({ PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir });
const browser = await launchBrowser();
try {
  const measure = async (hash: string, warm: boolean) => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const idle = () =>
      page.waitForFunction(
      () => {
        const map = window.lsgis?.map;
        return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving() && Object.keys(map.getStyle().sources).every((s) => map.isSourceLoaded(s));
      },
        null,
        { timeout: 60_000, polling: 20 },
      );
    if (warm) {
      // Fill the HTTP cache, then leave the page: a hash-only navigation would not reload it.
      await page.goto(`${server.origin}/${hash}`);
      await idle();
      await page.goto('about:blank');
    }
    const started = Date.now();
    await page.goto(`${server.origin}/${hash}`);
    await idle();
    const ms = Date.now() - started;
    await context.close();
    return ms;
  };
  console.log(`navigation → map idle, median of ${runs} runs (headless Chromium, SwiftShader):`);
  for (const warm of [false, true]) {
    const ours: number[] = [];
    const reference: number[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(await measure('', warm));
      reference.push(await measure('#layers=', warm));
    }
    const label = warm ? 'warm cache' : 'cold cache';
    console.log(
      `  ${label}: full map ${median(ours)} ms, reference (no layers) ${median(reference)} ms, ratio ${(median(ours) / median(reference)).toFixed(2)}`,
    );
  }
  const sizes = bundleSizes();
  console.log(`\nJS downloaded: ${(sizes.jsRaw / 1024).toFixed(0)} KiB, gzip ${(sizes.jsGzip / 1024).toFixed(0)} KiB`);
  for (const r of sizes.rows) console.log(`  ${r.file.padEnd(44)} ${(r.raw / 1024).toFixed(0).padStart(6)} KiB  gzip ${(r.gzip / 1024).toFixed(0).padStart(5)} KiB`);
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
