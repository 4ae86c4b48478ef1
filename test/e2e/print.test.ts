// Printing: the server prints the map and the inventory with headless Chromium; the
// PDFs are read back with poppler (pdftotext, pdftoppm) as a person would look at them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { origin } from './support/page.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-print-'));

async function download(url: string, file: string) {
  const res = await fetch(`${origin()}${url}`);
  expect(res.status, url).toBe(200);
  fs.writeFileSync(path.join(tmp, file), Buffer.from(await res.arrayBuffer()));
  return { path: path.join(tmp, file), res };
}

/** Spread of grey levels: a blank page has none. */
function greySpread(pngPath: string): number {
  const png = PNG.sync.read(fs.readFileSync(pngPath));
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 97) seen.add(Math.round((png.data[i]! + png.data[i + 1]! + png.data[i + 2]!) / 3 / 8));
  return seen.size;
}

describe('printing', () => {
  it('prints the map to an A4 landscape PDF with title, legend, sources and accuracy note, readable in grey', async () => {
    const view = encodeURIComponent('lang=vi&layers=industrial_parks,industrial_clusters,expressways,border_gates,communes,province,national_border');
    const { path: pdf, res } = await download(`/api/print/map.pdf?view=${view}&paper=A4&orientation=landscape&title=${encodeURIComponent('Họp giao ban: khu công nghiệp')}`, 'map.pdf');
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/ban-do-lang-son-\d{4}-\d{2}-\d{2}\.pdf/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Họp giao ban: khu công nghiệp');
    expect(text).toContain('Chú giải');
    expect(text).toContain('Cụm công nghiệp');
    expect(text).toContain('không phải ranh giới pháp lý');
    expect(text).toContain('Bản đồ tham khảo'); // credit of the visible administrative layers
    expect(text).not.toContain('Đường cao tốc\n'.repeat(2));
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1/);
    expect(info).toMatch(/Page size:\s+841\.\d+ x 59[45]\.\d+ pts/); // A4 landscape
    // In black and white: render grey and make sure the page is not blank.
    execFileSync('pdftoppm', ['-gray', '-png', '-r', '50', '-singlefile', pdf, path.join(tmp, 'map-grey')]);
    expect(greySpread(path.join(tmp, 'map-grey.png'))).toBeGreaterThan(12);
  });

  it('prints A3 portrait', async () => {
    const { path: pdf } = await download('/api/print/map.pdf?paper=A3&orientation=portrait', 'a3.pdf');
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Page size:\s+841\.\d+ x 119[01]\.\d+ pts/);
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain('Bản đồ khu, cụm công nghiệp tỉnh Lạng Sơn');
  });

  it('prints the map to a sharp PNG', async () => {
    const { path: file, res } = await download('/api/print/map.png?paper=A4&orientation=landscape', 'map.png');
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(fs.readFileSync(file));
    expect([png.width, png.height]).toEqual([2246, 1588]); // A4 at 96 dpi, twice over
    expect(greySpread(file)).toBeGreaterThan(12);
  });

  it('prints the classified inventory to PDF', async () => {
    const { path: pdf } = await download('/api/reports/inventory.pdf', 'inventory.pdf');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Thống kê, phân loại các khu, cụm công nghiệp');
    expect(text).toContain('Nhóm A');
    expect(text).toContain('Nhóm B');
    expect(text).toContain('Toàn tỉnh');
  });

  it.each([
    ['/api/print/map.gif', 404],
    ['/api/print/map.pdf?paper=A5', 400],
    ['/api/print/map.pdf?view=%3Cscript%3E', 400],
    [`/api/print/map.pdf?title=${'x'.repeat(161)}`, 400],
  ])('refuses %s', async (url, status) => {
    expect((await fetch(`${origin()}${url}`)).status).toBe(status);
  });
});
