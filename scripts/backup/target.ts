// What a backup is taken from and restored into: the configured database, by the
// means its backend offers. One small interface, one module per backend.
import fs from 'node:fs/promises';

export interface BackupTarget {
  /** For messages: which database, without secrets. */
  readonly description: string;
  /** Writes a complete backup to `file` (never a partial file under that name); returns its size in bytes. */
  backup(file: string): Promise<number>;
  /**
   * Restores `file` into this database, all or nothing. Refuses (RestoreRefused) a
   * database that already holds data unless `force`, which replaces everything in it.
   */
  restore(file: string, options: { force: boolean }): Promise<void>;
}

/** The target holds data and --force was not given: nothing was changed. */
export class RestoreRefused extends Error {}

/** A failure with a message meant for the operator (no stack trace needed). */
export class BackupError extends Error {}

/** Writes through a temporary name and renames, so `file` is either absent, old, or complete. */
export async function writeAtomically(file: string, write: (partial: string) => Promise<void>): Promise<number> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await write(partial);
    await fs.rename(partial, file);
  } finally {
    await fs.rm(partial, { force: true });
  }
  return (await fs.stat(file)).size;
}

/** The first bytes of a backup file, to tell a PGlite tarball from a pg_dump archive. */
export async function readMagic(file: string, length: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r').catch(() => {
    throw new BackupError(`Cannot read ${file}.`);
  });
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
