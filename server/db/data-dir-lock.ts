// One process at a time on an embedded data directory. PGlite takes no lock of its
// own: a second process (another server, the users CLI, a backup) opening the same
// directory would write beside the first and corrupt it. The lock is a file beside the
// directory holding the owner's pid; a lock whose process is gone (kill -9, power
// loss) is taken over, so a crash never blocks the next start.
import fs from 'node:fs';

export class DataDirInUseError extends Error {}

export const lockPath = (dataDir: string) => `${dataDir}.lock`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the lock of a data directory or throws DataDirInUseError; returns its release. */
export function lockDataDir(dataDir: string): () => void {
  const file = lockPath(dataDir);
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(fs.readFileSync(file, 'utf8'));
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      throw new DataDirInUseError(
        `The embedded database in ${dataDir} is in use by process ${owner} (a running server?). ` +
          'Stop it first: two processes on one data directory would corrupt it.',
      );
    }
    // Stale: removed, and the exclusive create tried again. (Two processes taking over
    // the same stale lock in the same millisecond could both succeed; not worth more.)
    fs.rmSync(file, { force: true });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    fs.rmSync(file, { force: true });
  };
}
