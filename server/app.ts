// Builds the Express application from its dependencies; never listens itself, so
// tests can drive it directly.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/adapter.ts';
import { addAnalysisRoutes } from './analysis/routes.ts';
import { authenticate, csrfProtection } from './auth/middleware.ts';
import { addAuthRoutes } from './auth/routes.ts';
import { addFeatureRoutes } from './features/routes.ts';
import { jsonBody, refuseOversizedBodies } from './http/bodies.ts';
import { apiNotFound, errorHandler } from './http/errors.ts';
import { createHeavyWork, type HeavyWorkClass, type HeavyWorkLimits } from './http/heavy-work.ts';
import { loadShedding } from './http/load-shedding.ts';
import { writeRateLimit } from './http/rate-limit.ts';
import { requestLog } from './http/request-log.ts';
import { securityHeaders } from './http/security.ts';
import { refuseNulInUrl } from './http/validate.ts';
import { layers } from './layers/registry.ts';
import { addLayerRoutes } from './layers/routes.ts';
import type { RevisionStore } from './layers/revisions.ts';
import { LayerService } from './layers/service.ts';
import { OGC_PAGE_STYLE } from './ogc/html.ts';
import { ogcRoutes } from './ogc/routes.ts';
import { OgcService } from './ogc/service.ts';
import { addPrintRoutes } from './print/routes.ts';
import type { PrintRenderer } from './print/renderer.ts';
import { INVENTORY_STYLE } from './reports/formats.ts';
import { addReportRoutes } from './reports/routes.ts';
import { addSearchRoutes } from './search/routes.ts';
import { SearchIndex } from './search/search-index.ts';
import { addSourceRoutes } from './sources/routes.ts';
import { tileRoutes } from './tiles/routes.ts';
import { TileService } from './tiles/service.ts';
import { addViewRoutes } from './views/routes.ts';
import { addTransferRoutes } from './transfer/routes.ts';

export const clientDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/dist');

export type AppDependencies = {
  db: Database;
  /** Started RevisionStore of the same database. */
  revisions: RevisionStore;
  printer: PrintRenderer;
  config: Pick<Config, 'basemapStyleUrl' | 'trustProxy' | 'sessionTtlHours' | 'cookieSecure' | 'admission' | 'writeRatePerMinute' | 'layerStreamAboveFeatures'>;
  logger: Logger;
  /** Limits of heavy work other than HEAVY_WORK_LIMITS (tests). */
  heavyWork?: Partial<Record<HeavyWorkClass, Partial<HeavyWorkLimits>>>;
};

export function createApp({ db, revisions, printer, config, logger, heavyWork }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false); // ETags are set deliberately where a response is cacheable
  app.use(requestLog(logger));
  app.use(securityHeaders({ basemapStyleUrl: config.basemapStyleUrl, inlineStyles: [OGC_PAGE_STYLE, INVENTORY_STYLE] }));
  const admission = loadShedding(config.admission);
  const heavy = createHeavyWork(heavyWork);
  // Health is answered even when the server is saturated: it is how a monitor (and the
  // load script) reads the admission counters. It never waits behind long database work:
  // a statement in progress (bounded by the statement timeout) is reported, not awaited.
  app.get('/api/health', async (_req, res) => {
    const { busyMs } = await db.health();
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      status: 'ok',
      database: db.backend,
      databaseBusyMs: busyMs,
      load: admission.stats(),
      heavyWork: Object.fromEntries(Object.entries(heavy).map(([name, limiter]) => [name, limiter.stats()])),
    });
  });
  app.use(admission, refuseOversizedBodies, refuseNulInUrl);

  const api = express.Router();
  // Who is asking (session cookie → req.user, req.audience), then: writes only from our
  // own pages, and not too many of them.
  api.use(authenticate(db), csrfProtection, writeRateLimit(config.writeRatePerMinute));
  // Imports read the file as the raw body (up to 50 MB), so they come before the JSON parser.
  addTransferRoutes(api, db, revisions, layers, heavy);
  api.use(jsonBody());
  // What the client needs to know of the server's configuration (nothing secret).
  api.get('/config', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json({ basemapStyleUrl: config.basemapStyleUrl ?? null });
  });
  addAuthRoutes(api, db, config);
  const layerService = new LayerService(db, revisions, layers, config.layerStreamAboveFeatures);
  addLayerRoutes(api, layerService);
  addFeatureRoutes(api, db, revisions, layerService);
  addSourceRoutes(api, db);
  addSearchRoutes(api, new SearchIndex(db, revisions, layers.filter((l) => l.searchable)));
  addAnalysisRoutes(api, db, revisions, layers, heavy.analysis);
  addViewRoutes(api, db, revisions);
  // Before the report routes: inventory.pdf is printed, the other formats are built.
  addPrintRoutes(api, printer, heavy.print);
  addReportRoutes(api, db, layers, (req) => req.audience);
  api.use(apiNotFound);
  app.use('/api', api);
  app.use('/tiles', tileRoutes(new TileService(db, revisions), layerService));
  // OGC items carry internal fields for signed-in staff, like the GeoJSON API. Tiles are
  // for drawing and carry public scalar fields only, whoever asks.
  app.use('/ogc', authenticate(db), ogcRoutes(new OgcService(db, revisions, layerService)));

  if (fs.existsSync(path.join(clientDistDir, 'index.html'))) {
    // API bodies arrive pre-compressed; only the client's static files need this.
    app.use(compression({ threshold: 1024 }), express.static(clientDistDir, { index: 'index.html', maxAge: '1h' }));
  } else {
    app.get('/', (_req, res) => {
      res.type('html').send(
        '<!doctype html><meta charset="utf-8"><title>Lạng Sơn GIS</title>' +
          '<p>Máy chủ đang chạy; giao diện bản đồ chưa được build (<code>npm run build</code>).</p>' +
          '<p>The server is running; the map client is not built (<code>npm run build</code>). ' +
          'API: <a href="/api/layers">/api/layers</a></p>',
      );
    });
  }

  app.use(errorHandler(logger));
  return app;
}
