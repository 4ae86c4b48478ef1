// Backs up all data of the configured database into one file.
//   npm run backup -- <file>
// PostgreSQL (DATABASE_URL): a pg_dump archive. Embedded (DATA_DIR): a tarball of the
// data directory, taken while no server runs on it.
import { runCommand } from './cli.ts';

await runCommand('usage: npm run backup -- <file>', { allowForce: false }, async (target, { file }) => {
  const started = performance.now();
  const bytes = await target.backup(file);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return `Backed up ${target.description} to ${file} (${(bytes / 1e6).toFixed(1)} MB, ${seconds} s).`;
});
