// Exporting a layer in any format, with exactly the fields the audience may see. The
// file is written as its rows are read, page by page: a layer is never held whole.
import type { Database } from '../db/adapter.ts';
import { firstPageRead, keysetPages } from '../db/keyset.ts';
import type { LayerSpec } from '../layers/registry.ts';
import { fieldsFor, type Audience } from '../layers/tables.ts';
import type { ExportRow, FileChunks, FileFormat } from './formats/format.ts';
import { HIDDEN_FIELDS } from '../features/changes.ts';
import { exportSql } from './queries.ts';

// Rows per statement: large enough that a page's round trip costs little next to its
// rows, small enough that a page (parsed rows and its text) stays a few megabytes.
export const EXPORT_PAGE_ROWS = 1000;

/**
 * The layer as a file in `format`. The first page is read before this resolves (so a
 * database that cannot answer is an error status); `signal` stops the reading when the
 * client leaves.
 */
export async function exportLayer(db: Database, layer: LayerSpec, audience: Audience, format: FileFormat, signal?: AbortSignal): Promise<FileChunks> {
  const pages = await firstPageRead(keysetPages<ExportRow>(db, exportSql(layer, audience), { pageRows: EXPORT_PAGE_ROWS, signal }));
  const fields = fieldsFor(layer.table, audience);
  // The hidden-fields list travels in staff exports as a column of its own.
  if (layer.table.thematic && audience === 'internal') fields.push(HIDDEN_FIELDS);
  return format.write!(pages, { layer, fields });
}
