// POST /api/import/:layer/preview|commit (editors; the file is the request body, up to
// 50 MB), GET /api/export/:layer?format= (per audience), POST /api/vn2000/parcel.
import type { Router } from 'express';
import { z } from 'zod';
import { requireRole, setAudienceHeaders } from '../auth/middleware.ts';
import type { Database } from '../db/adapter.ts';
import { BODY_LIMITS, importFileBody, jsonBody } from '../http/bodies.ts';
import { clientGone } from '../http/client-gone.ts';
import { badRequest, HttpError, notFound } from '../http/errors.ts';
import type { HeavyWorkByClass } from '../http/heavy-work.ts';
import { sendStream } from '../http/streamed-body.ts';
import { parseBody, parseQuery } from '../http/validate.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { RevisionStore } from '../layers/revisions.ts';
import { LANG_SON_CENTRAL_MERIDIAN } from '../analysis/crs.ts';
import { exportLayer } from './export.ts';
import { ImportFileError } from './formats/format.ts';
import { formatById, formats } from './formats/index.ts';
import { reportJson, runImport } from './import.ts';
import { convertParcel, CoordinateListError, parseCoordinateList } from './vn2000.ts';

const importQuery = z.object({
  filename: z.string({ error: 'is required (the uploaded file name: its ending tells the format)' }).min(1).max(255),
  repair: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
const exportQuery = z.object({ format: z.string({ error: `is required: ${formats.filter((f) => f.write).map((f) => f.id).join(', ')}` }) });
const parcelBody = z.strictObject({
  text: z.string().min(1).max(200_000),
  // VN-2000 provincial meridians run from 102°45′ to 108°30′ (whole and quarter degrees).
  centralMeridian: z.number().min(102).max(109).multipleOf(0.25).default(LANG_SON_CENTRAL_MERIDIAN),
});

export function addTransferRoutes(router: Router, db: Database, revisions: RevisionStore, layers: readonly LayerSpec[], heavy: Pick<HeavyWorkByClass, 'import' | 'export'>): void {
  const layerOr404 = (id: string) => {
    const layer = layers.find((l) => l.id === id);
    if (!layer) throw notFound(`Unknown layer '${id}'. See /api/layers for the list.`, 'layer_not_found');
    return layer;
  };

  for (const mode of ['preview', 'commit'] as const) {
    // Limited once the file has arrived: a slow upload holds no slot.
    router.post(`/import/:layer/${mode}`, requireRole('editor'), importFileBody, heavy.import.middleware, async (req, res) => {
      const layer = layerOr404(String(req.params.layer));
      if (!layer.table.thematic) throw new HttpError(405, 'layer_not_editable', `Layer '${layer.id}' is reference data and is not imported into.`);
      const query = parseQuery(importQuery, req);
      // A view of the body, not a copy.
      const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength) : new Uint8Array();
      let report;
      try {
        report = await runImport(db, { layer, fileName: query.filename, bytes, actor: req.user!.username, repair: query.repair, commit: mode === 'commit', signal: clientGone(res) });
      } catch (error) {
        if (error instanceof ImportFileError) throw new HttpError(422, 'import_failed', error.text.en, { code: error.code, message: error.text });
        throw error;
      }
      if (report.committed) await revisions.reload();
      res.setHeader('Cache-Control', 'no-store');
      // A commit with any invalid feature writes nothing: 422 with the full report.
      res.status(mode === 'commit' && !report.committed ? 422 : 200).type('application/json').send(reportJson(report));
    });
  }

  router.get('/export/:layer', heavy.export.middleware, async (req, res) => {
    const layer = layerOr404(String(req.params.layer));
    const { format: id } = parseQuery(exportQuery, req);
    const format = formatById(id);
    if (!format?.write) throw badRequest(`Unknown export format '${id}'. Known: ${formats.filter((f) => f.write).map((f) => f.id).join(', ')}.`);
    if (format.geometryTypes && !format.geometryTypes.includes(layer.geometryType)) {
      throw badRequest(`Format '${id}' holds points only; layer '${layer.id}' has ${layer.geometryType} geometry. Use csv (WKT).`);
    }
    const file = await exportLayer(db, layer, req.audience, format, clientGone(res));
    const extension = format.extensions[0] ?? '.csv';
    setAudienceHeaders(req, res, 'no-cache');
    res.setHeader('Content-Type', format.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${layer.id}${extension}"`);
    await sendStream(req, res, file, { compress: !format.zipped });
  });

  // Registered before the API's JSON parser (see app.ts): it parses its own small body.
  router.post('/vn2000/parcel', ...jsonBody(BODY_LIMITS.coordinateList), async (req, res) => {
    const body = parseBody(parcelBody, req);
    try {
      res.json(await convertParcel(db, parseCoordinateList(body.text), body.centralMeridian));
    } catch (error) {
      if (error instanceof CoordinateListError) throw new HttpError(422, 'bad_coordinate_list', error.text.en, { message: error.text });
      throw error;
    }
  });
}
