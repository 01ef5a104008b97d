import { writeFileSync } from 'node:fs';

/** One line of the benchmark table; `floor` is the baseline measured in the same run, when there is one. */
export interface BenchRow {
  figure: string;
  target: string;
  measured: number;
  unit: string;
  floor: number | null;
  ratio: number | null;
  ok: boolean;
}

/** `--name 123` on the command line, else the fallback. */
export function numberArg(name: string, fallback: number): number {
  const value = stringArg(name);
  return value === undefined ? fallback : Number(value);
}

/** `--name value` on the command line, else undefined. */
export function stringArg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

export function percentile(sortedOrNot: number[], p: number): number {
  const sorted = [...sortedOrNot].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function printRows(rows: BenchRow[]): void {
  const table = rows.map((row) => ({
    figure: row.figure,
    target: row.target,
    measured: `${round(row.measured)} ${row.unit}`,
    floor: row.floor === null ? '' : `${round(row.floor)} ${row.unit}`,
    ratio: row.ratio === null ? '' : `${round(row.ratio)}x`,
    ok: row.ok ? 'yes' : 'NO',
  }));
  console.table(table);
}

/** `--json <file>` writes the rows for the aggregate table of `npm run bench`. */
export function emitRows(rows: BenchRow[], argv = process.argv): void {
  printRows(rows);
  const index = argv.indexOf('--json');
  if (index >= 0 && argv[index + 1]) writeFileSync(argv[index + 1], JSON.stringify(rows, null, 2));
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}
