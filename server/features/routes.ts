// Writes to thematic features (editors only, If-Match required), their history, and
// revert. Every write goes through applyChange; after each commit the revisions are
// re-read, so the next read (ours or anyone's on this server) sees the change.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { requireRole, setAudienceHeaders } from '../auth/middleware.ts';
import type { Database } from '../db/adapter.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { optionalVersion, requiredVersion } from '../http/if-match.ts';
import { parseBody, parseParam, parseQuery } from '../http/validate.ts';
import type { LayerSpec } from '../layers/registry.ts';
import type { RevisionStore } from '../layers/revisions.ts';
import type { LayerService } from '../layers/service.ts';
import { fieldsFor, type Audience } from '../layers/tables.ts';
import { FeatureNotFoundError, VersionConflictError } from './changes.ts';
import { commitEdit, createFeature, deleteFeature, revertChange, updateFeature } from './edit.ts';
import { HISTORY_SQL } from './queries.ts';
import { INTERNAL_FIELDS, ValidationFailed } from './validation.ts';

const properties = z.record(z.string(), z.unknown());
const createBody = z.strictObject({
  id: z.string().optional(),
  properties,
  geometry: z.unknown(),
  repair: z.boolean().optional(),
  note: z.string().max(500).optional(),
});
const updateBody = z
  .strictObject({ properties: properties.optional(), geometry: z.unknown().optional(), repair: z.boolean().optional(), note: z.string().max(500).optional() })
  .refine((b) => b.properties !== undefined || b.geometry !== undefined, 'give properties and/or a geometry');
const revertBody = z.strictObject({ historyId: z.number().int().positive() });

export function addFeatureRoutes(router: Router, db: Database, revisions: RevisionStore, service: LayerService): void {
  const editable = (id: string): LayerSpec => {
    const layer = service.layers.find((l) => l.id === id);
    if (!layer) throw notFound(`Unknown layer '${id}'. See /api/layers for the list.`, 'layer_not_found');
    if (!layer.table.thematic) throw new HttpError(405, 'layer_not_editable', `Layer '${id}' is reference data and is not edited feature by feature.`);
    return layer;
  };
  const editor = requireRole('editor');
  const actor = (req: Request) => req.user!.username;
  const param = (req: Request, name: string) => String(req.params[name]);
  const currentFeature = async (layer: LayerSpec, id: string) => {
    const entry = await service.feature(layer, 'internal', id);
    return entry ? JSON.parse(entry.body.toString('utf8')) : null;
  };

  // Domain errors of an edit → HTTP: 404, 412 with both versions, 422 per field.
  const edit = async <T>(req: Request, layer: LayerSpec, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof FeatureNotFoundError) throw notFound(error.message, 'feature_not_found');
      if (error instanceof VersionConflictError) {
        throw new HttpError(412, 'version_conflict', `Someone saved version ${error.actual} of this feature after you opened version ${error.expected}.`, {
          currentVersion: error.actual,
          submittedVersion: error.expected,
          current: await currentFeature(layer, param(req, 'id')),
          submitted: req.body ?? null,
        });
      }
      if (error instanceof ValidationFailed) {
        throw new HttpError(422, 'validation_failed', `Some values are not valid: ${error.fields.map((f) => f.field).join(', ')}.`, { fields: error.fields });
      }
      throw error;
    }
  };

  // The feature as served to staff after the write, with its version as the ETag.
  const sendFeature = async (res: Response, layer: LayerSpec, id: string, status: number, extra: object = {}) => {
    const feature = await currentFeature(layer, id);
    res.status(status).setHeader('ETag', `"${feature?.properties.version}"`).setHeader('Cache-Control', 'no-store');
    res.json({ feature, ...extra });
  };

  router.post('/features/:layer', editor, async (req, res) => {
    const layer = editable(param(req, 'layer'));
    const body = parseBody(createBody, req);
    const result = await edit(req, layer, () => commitEdit(db, revisions, (tx) => createFeature(tx, layer, body, actor(req), body.note ?? null)));
    await sendFeature(res.location(`/api/features/${layer.id}/${result.id}`), layer, result.id, 201, { repaired: result.repaired });
  });

  router.patch('/features/:layer/:id', editor, async (req, res) => {
    const layer = editable(param(req, 'layer'));
    const expected = requiredVersion(req);
    const body = parseBody(updateBody, req);
    const result = await edit(req, layer, () =>
      commitEdit(db, revisions, (tx) => updateFeature(tx, layer, param(req, 'id'), body, expected, actor(req), body.note ?? null)),
    );
    await sendFeature(res, layer, result.id, 200, { repaired: result.repaired });
  });

  router.delete('/features/:layer/:id', editor, async (req, res) => {
    const layer = editable(param(req, 'layer'));
    const expected = requiredVersion(req);
    await edit(req, layer, () => commitEdit(db, revisions, (tx) => deleteFeature(tx, layer, param(req, 'id'), expected, actor(req))));
    res.setHeader('Cache-Control', 'no-store');
    res.status(204).end();
  });

  router.post('/features/:layer/:id/revert', editor, async (req, res) => {
    const layer = editable(param(req, 'layer'));
    const { historyId } = parseBody(revertBody, req);
    const expected = optionalVersion(req);
    const result = await edit(req, layer, () =>
      commitEdit(db, revisions, (tx) => revertChange(tx, layer, param(req, 'id'), historyId, expected, actor(req))),
    );
    await sendFeature(res, layer, result.id, 200);
  });

  router.get('/features/:layer/:id/history', async (req, res) => {
    const layer = editable(param(req, 'layer'));
    parseQuery(z.object({}), req);
    const id = parseParam(z.string().max(80), param(req, 'id'), 'id');
    const rows = await db.query<HistoryRow>(HISTORY_SQL, [layer.table.name, id]);
    if (!rows.length) throw notFound(`Layer '${layer.id}' has no feature '${id}', now or in its history.`, 'feature_not_found');
    setAudienceHeaders(req, res, 'public, no-cache');
    res.json({ layer: layer.id, id, entries: rows.map((r) => historyEntry(layer, r, req.audience)) });
  });
}

type HistoryRow = {
  id: number;
  version: number;
  action: 'create' | 'update' | 'delete';
  actor: string;
  at: Date;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  note: string | null;
};

// Compared field by field; these change with every write and say nothing.
const NOT_COMPARED = new Set(['version', 'updated_at', 'created_at', 'geometry']);

/** One entry of a timeline: who, when, and each field's value before and after. */
export function historyEntry(layer: LayerSpec, row: HistoryRow, audience: Audience) {
  const visible = new Set(fieldsFor(layer.table, audience).map((f) => f.name));
  if (audience === 'internal') visible.add(INTERNAL_FIELDS);
  // What the feature hid from the public at either end of the change stays hidden.
  const hidden = new Set([...((row.before?.internal_fields as string[]) ?? []), ...((row.after?.internal_fields as string[]) ?? [])]);
  const show = (field: string) => visible.has(field) && !NOT_COMPARED.has(field) && (audience === 'internal' || !hidden.has(field));
  const keys = new Set([...Object.keys(row.before ?? {}), ...Object.keys(row.after ?? {})].filter(show));
  const changes = [...keys]
    .filter((k) => JSON.stringify(row.before?.[k] ?? null) !== JSON.stringify(row.after?.[k] ?? null))
    .map((field) => ({ field, before: row.before?.[field] ?? null, after: row.after?.[field] ?? null }));
  return {
    id: row.id,
    version: row.version,
    action: row.action,
    at: new Date(row.at).toISOString(),
    // Names of staff are for staff.
    ...(audience === 'internal' ? { actor: row.actor, note: row.note } : {}),
    changes,
    geometryChanged: JSON.stringify(row.before?.geometry ?? null) !== JSON.stringify(row.after?.geometry ?? null),
  };
}
