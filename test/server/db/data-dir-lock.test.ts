import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir, lockPath } from '../../../server/db/data-dir-lock.ts';

const dirs: string[] = [];
const dataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-lock-'));
  dirs.push(dir);
  return path.join(dir, 'pglite');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

it('refuses a second holder while the first lives, naming its process', () => {
  const dir = dataDir();
  const release = lockDataDir(dir);
  expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
  expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${process.pid}`));
  release();
  expect(fs.existsSync(lockPath(dir))).toBe(false);
  lockDataDir(dir)();
});

it('takes over the lock of a process that is gone (a crash)', () => {
  const dir = dataDir();
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  fs.writeFileSync(lockPath(dir), gone.stdout);
  const release = lockDataDir(dir);
  expect(fs.readFileSync(lockPath(dir), 'utf8')).toBe(String(process.pid));
  release();
});
