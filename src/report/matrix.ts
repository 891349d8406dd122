/**
 * The picture a firewall engineer reads first. One field: 16×16, row = value rounded down to a
 * multiple of 16, column = +0..+15 (one grid per syntax variant swept). Two fields: 256×256, row =
 * the first field's value, column = the second's.
 */
import { stringify } from 'csv-stringify/sync';
import type { Verdict } from '../model/judgement.js';
import type { ResultRow } from '../model/valueResult.js';
import { VARIANTS, type Variant } from '../model/variants.js';
import { planeSummary, planeSummaryLines } from './planeSummary.js';

/** The variants present in `rows`, in the order variants are listed. */
export function variantsIn(rows: readonly ResultRow[]): Variant[] {
  const present = new Set(rows.map((r) => r.variant));
  return VARIANTS.filter((v) => present.has(v));
}

/** grid[row][col]: the verdict of value row·16 + col written as `variant`, or undefined. */
export function verdictGrid(rows: readonly ResultRow[], variant: Variant = variantsIn(rows)[0] ?? 'plain'): (Verdict | undefined)[][] {
  const grid = Array.from({ length: 16 }, () => Array<Verdict | undefined>(16).fill(undefined));
  for (const r of rows) if (r.variant === variant && r.value < 256) grid[r.value >> 4]![r.value & 15] = r.verdict;
  return grid;
}

/** matrix.csv. With several variants, one 16×16 block per variant, each under a `variant,<name>` line. */
export function matrixCsv(rows: readonly ResultRow[], twoFields = false): string {
  if (twoFields) {
    // Indexed by value, not a Map of 65,536 entries: this runs at the end of a sweep whose peak memory counts.
    const cells = new Array<string>(65536).fill('');
    for (const r of rows) cells[r.value] = r.verdict;
    const header = ['', ...Array.from({ length: 256 }, (_, c) => String(c))];
    const lines = Array.from({ length: 256 }, (_, r) => [String(r), ...cells.slice(r * 256, r * 256 + 256)]);
    return stringify([header, ...lines]);
  }
  const header = ['', ...Array.from({ length: 16 }, (_, c) => `+${c}`)];
  const block = (variant: Variant): string[][] => [header, ...verdictGrid(rows, variant).map((row, r) => [String(r * 16), ...row.map((v) => v ?? '')])];
  const variants = variantsIn(rows);
  if (variants.length <= 1) return stringify(block(variants[0] ?? 'plain'));
  return variants.map((v) => stringify([['variant', v], ...block(v)])).join('\n');
}

/** One character per verdict for the console matrix; failures are letters, a pass is a dot. */
export const VERDICT_MARK: Readonly<Record<Verdict, string>> = {
  pass: '.',
  translated: 't',
  corrupted: 'C',
  rejected: 'R',
  'no-data': 'N',
  timeout: 'T',
  reset: 'X',
  error: 'E',
};

function grid16Text(rows: readonly ResultRow[], variant: Variant): string[] {
  const lines = [`     ${Array.from({ length: 16 }, (_, c) => `+${c}`.padStart(4)).join('')}`];
  verdictGrid(rows, variant).forEach((row, r) => {
    if (row.every((v) => v === undefined)) return;
    lines.push(`${String(r * 16).padStart(5)}${row.map((v) => (v === undefined ? ' ' : VERDICT_MARK[v]).padStart(4)).join('')}`);
  });
  return lines;
}

/**
 * The console matrix: `.` pass, letters mark the failures, blank = not probed. For a 2-D sweep
 * (`fields` names two), the plane in words: counts, and the rows or columns that fail whole
 * (planeSummary.ts); the full picture is matrix.csv and report.html.
 */
export function matrixText(rows: readonly ResultRow[], fields: readonly string[] = ['p2']): string {
  const legend = Object.entries(VERDICT_MARK).map(([verdict, mark]) => `${mark} ${verdict}`).join('  ');
  if (fields.length === 2) {
    const lines = planeSummaryLines(planeSummary(rows), [fields[0]!, fields[1]!]);
    return [`2-D sweep (row = ${fields[0]}, column = ${fields[1]}; the 256 × 256 picture is in matrix.csv and report.html):`, ...lines.map((l) => `  ${l}`)].join('\n');
  }
  const variants = variantsIn(rows);
  const blocks = variants.map((v) => [...(variants.length > 1 ? [`  ${v}:`] : []), ...grid16Text(rows, v)].join('\n'));
  return `${blocks.join('\n\n')}\n      ${legend}`;
}
