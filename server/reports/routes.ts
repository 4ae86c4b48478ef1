// GET /api/reports/inventory(.json|.csv|.xlsx|.html)?lang=vi|en
// GET /api/reports/completeness?stale_days=365
import type { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/adapter.ts';
import { parseQuery } from '../http/validate.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { Audience } from '../layers/tables.ts';
import { inventoryCsv, inventoryHtml, inventoryXlsx } from './formats.ts';
import { STALE_AFTER_DAYS } from './collection.ts';
import { buildCompleteness } from './completeness.ts';
import { buildInventory } from './inventory.ts';

const reportQuery = z.object({ lang: z.enum(['vi', 'en']).default('vi') });
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
