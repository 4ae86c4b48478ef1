// Restores a backup made by backup.ts into the configured database, all or nothing.
//   npm run restore -- <file> [--force]
// Refuses a database that holds data (exit code 3) unless --force, which replaces it.
// Stop the servers first: they keep revisions of the old data in memory.
import { runCommand } from './cli.ts';

await runCommand('usage: npm run restore -- <file> [--force]', { allowForce: true }, async (target, { file, force }) => {
  const started = performance.now();
  await target.restore(file, { force });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return `Restored ${file} into ${target.description} (${seconds} s).`;
});
