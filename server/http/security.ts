// Security headers (helmet) with a strict Content-Security-Policy: scripts, styles,
// fonts, workers and data come from this server only. The client needs no inline
// script or style element: React, MapLibre and Chart.js set inline styles through the
// CSSOM, which CSP allows. The few HTML pages built on the server (OGC pages, the
// printable inventory) carry one fixed <style> each, allowed by its hash.
//
// No CORS headers are sent: other sites cannot read our API from a browser. GIS
// desktop tools (QGIS, GDAL) are not browsers and are not affected.
import { createHash } from 'node:crypto';
import helmet from 'helmet';
import type { RequestHandler } from 'express';

/** The CSP source expression allowing exactly this inline <style> text. */
export const styleHash = (css: string) => `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;

export type SecurityOptions = {
  /** An online basemap style (BASEMAP_STYLE_URL): its style, tiles, sprites and glyphs may come from any https host. */
  basemapStyleUrl: string | undefined;
  /** The exact text of every inline <style> element the server sends. */
  inlineStyles: readonly string[];
};

export function contentSecurityDirectives({ basemapStyleUrl, inlineStyles }: SecurityOptions): Record<string, string[]> {
  // A basemap style names its own tile, sprite and glyph hosts, unknown here.
  const online = basemapStyleUrl ? ['https:'] : [];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", ...inlineStyles.map(styleHash)],
    // MapLibre decodes images (sprites, hatch patterns) into data: and blob: URLs.
    'img-src': ["'self'", 'data:', 'blob:', ...online],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...online],
    // MapLibre's worker is a module file of ours.
    'worker-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
  };
}

export function securityHeaders(options: SecurityOptions): RequestHandler {
  return helmet({
    // Not upgrade-insecure-requests: the server is often reached over plain http on a
    // local network, where upgrading every request to https would break the page.
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityDirectives(options) },
  }) as RequestHandler;
}
