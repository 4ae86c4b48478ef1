// `npm start` serves a built client. Build it when client/dist is missing or older
// than anything it is built from; otherwise start at once.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'client/dist/index.html');
const inputs = ['client/index.html', 'client/vite.config.ts', 'client/src', 'package-lock.json', 'server/layers'];

function newestMtime(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

export function buildClientIfStale(): void {
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  const sourcesAt = Math.max(...inputs.map((p) => newestMtime(path.join(root, p))));
  if (builtAt >= sourcesAt) {
    console.log('Map client is up to date (client/dist).');
    return;
  }
  console.log('Building the map client (client/dist)…');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) buildClientIfStale();
