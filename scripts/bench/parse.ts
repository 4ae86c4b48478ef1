// Parsing uploads: in a worker (UploadReader, what imports do) against format.read on
// the calling thread, in the same run, for a 10,000-point GeoJSON, a 10,000-placemark
// KML, our own KML export of 10,000 zones (the file the worker's heap cap is chosen for),
// a zip bomb KMZ (1 MB inflating to 1 GB) and a 60 KB KMZ of 200,000 placemarks.
// Each case and way runs in a process of its own, so that one's memory does not count
// in the next one's peak. Printed per case: the median time of the passes, the longest
// the calling thread's event loop stood still (what every other request would wait),
// the peak growth of the process's RSS (workers included) and the outcome; the ratio is
// off-thread time / on-thread time. The worker is started before timing; its start is
// printed on its own.
//   npx tsx scripts/bench/parse.ts [--passes 3]
import { spawnSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { strToU8 } from 'fflate';
import type { FileFormat } from '../../server/transfer/formats/format.ts';
import { formatById } from '../../server/transfer/formats/index.ts';
import { UploadReader } from '../../server/transfer/read-upload.ts';
import { placemarksKml, placemarksKmz, pointsGeoJson, zipBomb, zonesKml } from '../reliability/hostile-uploads.ts';
import { numberOption } from './args.ts';

const passes = numberOption('passes', 3);

const cases: Record<string, { title: string; format: string; file: () => Uint8Array | Promise<Uint8Array> }> = {
  geojson: { title: '10,000-point GeoJSON', format: 'geojson', file: () => strToU8(pointsGeoJson(10_000)) },
  kml: { title: '10,000-placemark KML', format: 'kml', file: () => strToU8(placemarksKml(10_000)) },
  // The largest file the heap cap is chosen for (read-upload.ts): xmldom's DOM of it takes ~1 GB.
  zones: { title: '10,000 zones, our KML export', format: 'kml', file: async () => strToU8(await zonesKml(10_000)) },
  bomb: { title: 'zip bomb KMZ → 1 GB', format: 'kmz', file: () => zipBomb('doc.kml', 1024 * 1024 * 1024) },
  many: { title: '200,000-placemark KMZ', format: 'kmz', file: () => placemarksKmz(200_000) },
};
type Mode = 'on-thread' | 'off-thread';
type Figures = { bytes: number; medianMs: number; stallMs: number; peakRssMb: number; outcome: string; workerStartMs?: number };

/** One case, one way, in this process: prints its figures as JSON on the last line. */
async function child(name: string, mode: Mode) {
  const { format: id, file } = cases[name]!;
  const format = formatById(id) as Required<FileFormat>;
  const bytes = await file();
  const reader = new UploadReader();
  let workerStartMs: number | undefined;
  if (mode === 'off-thread') {
    const start = performance.now();
    await reader.read(formatById('geojson')!, strToU8('{"type":"FeatureCollection","features":[]}'));
    workerStartMs = performance.now() - start;
  }
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const times: number[] = [];
  let outcome = '';
  for (let i = 0; i < passes; i++) {
    const start = performance.now();
    try {
      const result = await (mode === 'on-thread' ? Promise.resolve().then(() => format.read(bytes)) : reader.read(format, bytes));
      outcome = `${result.features.length} features`;
    } catch (error) {
      outcome = (error as { code?: string }).code ?? (error as Error).message;
    }
    times.push(performance.now() - start);
    peak = Math.max(peak, process.memoryUsage().rss);
    await new Promise((resolve) => setTimeout(resolve, 20)); // lets the delay monitor see a stall
  }
  delay.disable();
  clearInterval(sampler);
  await reader.close();
  times.sort((a, b) => a - b);
  const figures: Figures = { bytes: bytes.length, medianMs: times[Math.floor(times.length / 2)]!, stallMs: delay.max / 1e6, peakRssMb: (peak - baseline) / 1024 / 1024, outcome, workerStartMs };
  console.log(JSON.stringify(figures));
}

function run(name: string, mode: Mode): Figures {
  const out = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', name, mode, '--passes', String(passes)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(`${name} ${mode} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Figures;
}

const at = process.argv.indexOf('--child');
if (at > 0) {
  await child(process.argv[at + 1]!, process.argv[at + 2] as Mode);
} else {
  console.log(`Parsing uploads: off the request thread (worker) vs on it; median of ${passes} passes, each case and way in its own process`);
  console.log('case                           size      way         time ms  loop stall ms  peak RSS +MB  outcome');
  const starts: number[] = [];
  for (const [name, { title }] of Object.entries(cases)) {
    const rows = (['on-thread', 'off-thread'] as const).map((mode) => [mode, run(name, mode)] as const);
    for (const [mode, f] of rows) {
      if (f.workerStartMs !== undefined) starts.push(f.workerStartMs);
      const size = f.bytes >= 1024 * 1024 ? `${(f.bytes / 1024 / 1024).toFixed(1)} MB` : `${(f.bytes / 1024).toFixed(0)} KB`;
      console.log(
        `${(mode === 'on-thread' ? title : '').padEnd(30)} ${(mode === 'on-thread' ? size : '').padStart(8)}  ${mode.padEnd(10)} ${f.medianMs.toFixed(0).padStart(8)} ${f.stallMs.toFixed(0).padStart(14)} ${f.peakRssMb.toFixed(0).padStart(13)}  ${f.outcome}`,
      );
    }
    const [on, off] = rows.map(([, f]) => f.medianMs);
    console.log(`${''.padEnd(30)} ${''.padStart(8)}  off/on     ${(off! / on!).toFixed(2).padStart(8)}`);
  }
  console.log(`worker start (tsx), before timing: ${starts.map((ms) => ms.toFixed(0)).join(', ')} ms`);
}
