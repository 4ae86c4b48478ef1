// Headless Debian Chromium through playwright-core, with the flags that let MapLibre
// render in software (SwiftShader) and keep Chromium off the network. The print service
// launches it; the browser tests and benchmarks launch it from here too, so there is one
// set of flags and one path (CHROMIUM_PATH, config.ts). playwright-core is loaded on the
// first launch: it costs ~60 MB and half a second at start, and most servers never print.
import type { Browser } from 'playwright-core';
import { loadConfig } from '../config.ts';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(executablePath = loadConfig().chromiumPath): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
