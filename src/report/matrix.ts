/**
 * The 16×16 picture a firewall engineer reads first: row = value rounded down to a multiple of 16,
 * column = +0..+15, cell = that value's verdict.
 */
import { stringify } from 'csv-stringify/sync';
import type { ResultRow } from '../sweep/valueResult.js';
import type { Verdict } from '../sweep/verdict.js';

/** grid[row][col] is the verdict of value row·16 + col, or undefined if it was not probed. */
export function verdictGrid(results: readonly ResultRow[]): (Verdict | undefined)[][] {
  const grid = Array.from({ length: 16 }, () => Array<Verdict | undefined>(16).fill(undefined));
  for (const r of results) grid[r.value >> 4]![r.value & 15] = r.verdict;
  return grid;
}

export function matrixCsv(results: readonly ResultRow[]): string {
  const header = ['', ...Array.from({ length: 16 }, (_, c) => `+${c}`)];
  const rows = verdictGrid(results).map((row, r) => [String(r * 16), ...row.map((v) => v ?? '')]);
  return stringify([header, ...rows]);
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

/** The console matrix: `.` pass, letters mark the failures, blank = not probed. */
export function matrixText(results: readonly ResultRow[]): string {
  const lines = [`     ${Array.from({ length: 16 }, (_, c) => `+${c}`.padStart(4)).join('')}`];
  verdictGrid(results).forEach((row, r) => {
    if (row.every((v) => v === undefined)) return;
    lines.push(`${String(r * 16).padStart(5)}${row.map((v) => (v === undefined ? ' ' : VERDICT_MARK[v]).padStart(4)).join('')}`);
  });
  const legend = Object.entries(VERDICT_MARK).map(([verdict, mark]) => `${mark} ${verdict}`).join('  ');
  return `${lines.join('\n')}\n      ${legend}`;
}
