// GET /api/print/map.{pdf|png}?view=…&paper=A4|A3&orientation=landscape|portrait&title=…
// GET /api/reports/inventory.pdf?lang=vi|en
// The headless browser loads our own pages from this very server (loopback). Printing
// is heavy work: a bounded number at once, a bounded line, a rate per caller; a print
// whose requester leaves stops.
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { HeavyWork } from '../http/heavy-work.ts';
import { parseQuery } from '../http/validate.ts';
import type { PrintRenderer } from './renderer.ts';

const mapQuery = z.object({
  // The map state as in the app's URL hash (without '#'), e.g. "lang=vi&map=9/21.8/106.7&layers=…"
  view: z.string().max(2000).regex(/^[\w\-.,/=&%:;+]*$/, 'has characters a map link never contains').default(''),
  paper: z.enum(['A4', 'A3']).default('A4'),
  orientation: z.enum(['landscape', 'portrait']).default('landscape'),
  title: z.string().max(160).default(''),
});

const reportQuery = z.object({ lang: z.enum(['vi', 'en']).default('vi') });

/** This server as seen from itself: the headless page must not leave the machine. */
function selfOrigin(req: Request): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') && !address.startsWith('::ffff:') ? `[${address}]` : address.replace('::ffff:', '');
  return `http://${host}:${req.socket.localPort}`;
}

const dated = (name: string, ext: string) => `${name}-${new Date().toISOString().slice(0, 10)}.${ext}`;

export function addPrintRoutes(router: Router, renderer: PrintRenderer, heavy: HeavyWork): void {
  router.get('/print/map.:format', async (req, res) => {
    const format = req.params.format === 'png' ? 'png' : req.params.format === 'pdf' ? 'pdf' : null;
    if (!format) {
      res.status(404).json({ error: 'format_not_found', detail: 'Print the map as map.pdf or map.png.' });
      return;
    }
    const q = parseQuery(mapQuery, req);
    const params = new URLSearchParams(q.view);
    params.set('print', `${q.paper}-${q.orientation}`);
    if (q.title) params.set('title', q.title);
    const url = `${selfOrigin(req)}/#${params.toString()}`;
    const body = await heavy.run(req, res, (signal) => renderer.render(url, { format, paper: q.paper, landscape: q.orientation === 'landscape' }, true, signal));
    res.type(format === 'pdf' ? 'application/pdf' : 'image/png').attachment(dated('ban-do-lang-son', format)).send(body);
  });

  router.get('/reports/inventory.pdf', async (req, res) => {
    const { lang } = parseQuery(reportQuery, req);
    const url = `${selfOrigin(req)}/api/reports/inventory.html?lang=${lang}`;
    const body = await heavy.run(req, res, (signal) => renderer.render(url, { format: 'pdf', paper: 'A4', landscape: true }, false, signal));
    res.type('application/pdf').attachment(dated('kiem-ke-khu-cum-cong-nghiep-lang-son', 'pdf')).send(body);
  });
}
