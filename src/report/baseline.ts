/**
 * Regression check against a baseline (a previous results.csv): only a value whose verdict got
 * worse fails the run, so a firewall that has always corrupted 227 does not turn CI red every night
 * while still being listed, and a new corruption does.
 */
import { isFailure, type Verdict } from '../model/judgement.js';
import { writeOutput } from './files.js';
import { probeLabel } from '../model/probes.js';
import type { ResultRow } from '../model/valueResult.js';

/** Values are named by probeLabel: `227`, `124,227`, `227 trailing-space`. */
export interface Comparison {
  /** Where the baseline came from, as given. */
  readonly source: string;
  /** Values that got worse: passing (or absent) before and failing now, or a local error before. */
  readonly newFailures: readonly string[];
  /** Values that failed before and pass now. */
  readonly fixed: readonly string[];
  /** Values that fail now as they did before, with the same verdict. */
  readonly unchanged: readonly string[];
  /** Values that fail now and failed before, with another verdict (not worse: both are failures). */
  readonly changed: readonly { readonly value: string; readonly from: Verdict; readonly to: Verdict }[];
}

/**
 * 0: fine (pass, translated); 1: a local error, which says nothing about the firewall; 2: any
 * firewall failure. "Worse" means a higher rank.
 */
function rank(verdict: Verdict | undefined): number {
  if (verdict === undefined || !isFailure(verdict)) return 0;
  return verdict === 'error' ? 1 : 2;
}

export function compareWithBaseline(rows: readonly ResultRow[], baseline: readonly ResultRow[], source: string, twoFields = false): Comparison {
  const before = new Map(baseline.map((r) => [probeLabel(r, twoFields), r.verdict]));
  const newFailures: string[] = [];
  const fixed: string[] = [];
  const unchanged: string[] = [];
  const changed: { value: string; from: Verdict; to: Verdict }[] = [];
  for (const row of rows) {
    const label = probeLabel(row, twoFields);
    const was = before.get(label);
    const [then, now] = [rank(was), rank(row.verdict)];
    if (now > then) newFailures.push(label);
    else if (then > 0 && now === 0) fixed.push(label);
    else if (now > 0 && was === row.verdict) unchanged.push(label);
    else if (now > 0 && was !== undefined) changed.push({ value: label, from: was, to: row.verdict });
  }
  return { source, newFailures, fixed, unchanged, changed };
}

/** Whether a failing value (by probeLabel) is already known from the baseline (not a regression). */
export function isKnownFailure(comparison: Comparison | undefined, label: string): boolean {
  return comparison !== undefined && (comparison.unchanged.includes(label) || comparison.changed.some((c) => c.value === label));
}

/**
 * Writes `csv` (a whole results.csv) as the baseline at `file`, whole or not at all (files.ts): a
 * later run's `--baseline` reads it like any results.csv.
 */
export async function writeBaseline(file: string, csv: string): Promise<void> {
  await writeOutput(file, csv, '--update-baseline');
}

/** The one line the command prints after `--update-baseline`: what it wrote, or why it did not. */
export function baselineLine(target: string, written: string | null, rows: readonly { readonly verdict: Verdict }[], whyNot: string): string {
  if (written === null) return `Baseline NOT written to ${target}: ${whyNot}`;
  const failing = rows.filter((r) => isFailure(r.verdict)).length;
  return `Baseline: wrote ${rows.length} row${rows.length === 1 ? '' : 's'} (${failing} failing) to ${written}; runs with --baseline ${written} now fail only on values that get worse`;
}
