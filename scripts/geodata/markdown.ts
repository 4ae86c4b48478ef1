// Markdown helpers for the generated documents in geodata/.

/** One table row; cell text may contain pipes and line breaks. */
export const markdownRow = (cells: string[]) =>
  `| ${cells.map((c) => c.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`;
