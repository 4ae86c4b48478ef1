// GET /api/reports/inventory(.json|.csv|.xlsx|.html)?lang=vi|en
// GET /api/reports/completeness?stale_days=365
// GET /api/reports/collection-template.xlsx?body=border_zone_board|industry_trade&commune= (editors)
import type { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/adapter.ts';
import { parseQuery } from '../http/validate.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { Audience } from '../layers/tables.ts';
import { inventoryCsv, inventoryHtml, inventoryXlsx } from './formats.ts';
import { requireRole } from '../auth/middleware.ts';
import { bodies, STALE_AFTER_DAYS, type BodyId } from './collection.ts';
import { buildCompleteness } from './completeness.ts';
import { buildInventory } from './inventory.ts';
import { collectionTemplate, templateFileName } from './template.ts';

const reportQuery = z.object({ lang: z.enum(['vi', 'en']).default('vi') });
const templateQuery = z.object({
  body: z.enum(bodies.map((b) => b.id) as [BodyId, ...BodyId[]], { error: `must be one of: ${bodies.map((b) => b.id).join(', ')}` }),
  commune: z.string().min(1).max(100).optional(),
});
const completenessQuery = z.object({
  stale_days: z.coerce.number({ error: 'must be a number of days' }).int().min(1).max(36_500).default(STALE_AFTER_DAYS),
});

export function addReportRoutes(router: Router, db: Database, layers: readonly LayerSpec[], audienceOf: (req: import('express').Request) => Audience): void {
  const zoneLayers = layers.filter((l) => l.table.name === 'zones');
  const fileName = (ext: string) => `kiem-ke-khu-cum-cong-nghiep-lang-son-${new Date().toISOString().slice(0, 10)}.${ext}`;

  router.get('/reports/completeness', async (req, res) => {
    const { stale_days } = parseQuery(completenessQuery, req);
    const audience = audienceOf(req);
    res.setHeader('Cache-Control', audience === 'public' ? 'no-cache' : 'private, no-cache');
    res.vary('Cookie');
    res.json(await buildCompleteness(db, zoneLayers, audience, stale_days));
  });

  router.get('/reports/collection-template.xlsx', requireRole('editor'), async (req, res) => {
    const { body, commune } = parseQuery(templateQuery, req);
    res.setHeader('Cache-Control', 'private, no-store');
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment(templateFileName(body))
      .send(await collectionTemplate(db, zoneLayers, body, commune ?? null));
  });

  router.get('/reports/inventory{.:format}', async (req, res) => {
    const { lang } = parseQuery(reportQuery, req);
    const format = req.params.format ?? 'json';
    const audience = audienceOf(req);
    const inventory = await buildInventory(db, zoneLayers, audience);
    res.setHeader('Cache-Control', audience === 'public' ? 'no-cache' : 'private, no-cache');
    res.vary('Cookie');
    switch (format) {
      case 'json':
        res.json(inventory);
        return;
      case 'csv':
        res.type('text/csv; charset=utf-8').attachment(fileName('csv')).send(inventoryCsv(inventory, lang));
        return;
      case 'xlsx':
        res
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .attachment(fileName('xlsx'))
          .send(await inventoryXlsx(inventory, lang));
        return;
      case 'html':
        res.type('html').send(inventoryHtml(inventory, lang));
        return;
      default:
        res.status(404).json({ error: 'format_not_found', detail: `No inventory format '${format}'. Use json, csv, xlsx or html.` });
    }
  });
}
