// docs/RELIABILITY.md is written by several scripts, each owning one section between
// `<!-- name:start -->` and `<!-- name:end -->`: a script replaces its own section
// and leaves the rest of the file (and other scripts' sections) as they are.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const reliabilityDoc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/RELIABILITY.md');

/** Replaces the section `name`, appending it at the end if the file has none yet. */
export function writeSection(name: string, markdown: string, file = reliabilityDoc): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, next.trimStart());
}

/** One line saying where figures were measured. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average before the run ${os.loadavg()[0]!.toFixed(2)}`;
}

export const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
