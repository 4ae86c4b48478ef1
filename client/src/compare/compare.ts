// The comparison table of up to four zones, as rows a person reads and as CSV.
export const MAX_COMPARED = 4;

export type CompareRow = { label: string; values: string[] };

/** RFC 4180 CSV with a BOM, so spreadsheet programs read Vietnamese correctly. */
export function toCsv(header: string[], rows: CompareRow[]): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [header, ...rows.map((r) => [r.label, ...r.values])].map((line) => line.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
