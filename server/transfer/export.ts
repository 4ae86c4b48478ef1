// Exporting a layer in any format, with exactly the fields the audience may see.
import type { Database } from '../db/adapter.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fieldsFor, type Audience } from '../layers/tables.ts';
import type { ExportRow, FileFormat } from './formats/format.ts';
import { HIDDEN_FIELDS } from '../features/changes.ts';
import { exportSql } from './queries.ts';

export async function exportLayer(db: Database, layer: LayerSpec, audience: Audience, format: FileFormat): Promise<Uint8Array> {
  const { sql, params } = exportSql(layer, audience);
  const rows = await db.query<ExportRow>(sql, params);
  const fields = fieldsFor(layer.table, audience);
  // The hidden-fields list travels in staff exports as a column of its own.
  if (layer.table.thematic && audience === 'internal') fields.push(HIDDEN_FIELDS);
  const out = format.write!(rows, { layer, fields });
  return typeof out === 'string' ? Buffer.from(out, 'utf8') : out;
}
