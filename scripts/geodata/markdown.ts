// Markdown helpers for the generated documents in geodata/.

/** One table row; cell text may contain pipes and line breaks. */
export const markdownRow = (cells: string[]) =>
  `| ${cells.map((c) => c.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`;

/** A table with a header row. */
export const markdownTable = (header: string[], rows: string[][]) =>
  [markdownRow(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(markdownRow)].join('\n');
