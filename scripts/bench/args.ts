// Command-line options of the benchmarks: `--name value`.
export const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

export const numberOption = (name: string, fallback: number): number => Number(option(name) ?? fallback);
