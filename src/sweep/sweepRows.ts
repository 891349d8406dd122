/**
 * The rows of a sweep as they become final: handed on at once (results.csv is streamed), observed
 * for the control-channel findings, counted for the progress line, and kept — a passing row without
 * its evidence, and in a large sweep as its verdict alone, so memory stays flat.
 */
import { isFailure, type Verdict } from '../model/judgement.js';
import type { Probe } from '../model/probes.js';
import type { ValueResult } from '../model/valueResult.js';
import { PathObservations } from './inspection.js';

/** At the start, then after each final row: the counts so far, and the verdict of the row just done. */
export interface SweepProgress {
  readonly done: number;
  readonly total: number;
  readonly failing: number;
  /** Undefined at the start (no row yet). */
  readonly verdict: Verdict | undefined;
  /** Of `done` (and `failing`), the values an earlier run did (`--resume`): not part of the rate. */
  readonly before?: number;
}

/** After each attempt, judged: `n` is 1 for a value's first attempt, 2… for its confirmations. */
export interface AttemptReport {
  readonly probe: Probe;
  readonly n: number;
  readonly verdict: Verdict;
  /** How long the attempt took, in ms. */
  readonly ms: number;
}

/** Sweeps with more probes keep passing rows in memory as verdicts only (memory stays flat). */
const COMPACT_ABOVE = 4096;
/**
 * In such a sweep, failing rows beyond this many keep their text but not their attempts: a 2-D
 * sweep where most values fail would otherwise hold every attempt of 65,536 values (no report reads
 * them; results.csv has the rows).
 */
const EVIDENCE_KEPT = 256;
const NO_EVIDENCE: ValueResult['judged'] = [];

/**
 * A passing row without its evidence — and, in a large sweep (`compact`), reduced to its verdict.
 * Plain literals on purpose: object spread here gave every row its own hidden class in V8 (65,536
 * maps, 27 MB, in a heap snapshot of a 2-D sweep).
 */
function withoutEvidence(row: ValueResult, compact: boolean): ValueResult {
  if (compact) {
    return { value: row.value, variant: row.variant, verdict: row.verdict, sent: '', seen: '', replyCode: undefined, reply: '', data: row.data, failures: 0, attempts: row.attempts, detail: '', ms: 0, judged: NO_EVIDENCE };
  }
  const { value, variant, verdict, sent, seen, replyCode, reply, data, failures, attempts, detail, ms } = row;
  return { value, variant, verdict, sent, seen, replyCode, reply, data, failures, attempts, detail, ms, judged: NO_EVIDENCE };
}

export class SweepRows {
  /** What the rows showed about the path (inspection.ts). */
  readonly observed = new PathObservations();
  private readonly results: ValueResult[];
  private readonly compact: boolean;
  private finished = 0;
  private failing = 0;

  constructor(
    private readonly total: number,
    private readonly hooks: { readonly onRow?: (row: ValueResult) => void; readonly onProgress?: (progress: SweepProgress) => void },
  ) {
    this.results = new Array<ValueResult>(total);
    // A 2-D sweep keeps only the verdicts of passing rows in memory: they are in results.csv already.
    this.compact = total > COMPACT_ABOVE;
    // The total is known before the first row: a sweep whose first values take long is not silent.
    hooks.onProgress?.({ done: 0, total, failing: 0, verdict: undefined });
  }

  /** The final row of probe number `i`. */
  add(i: number, row: ValueResult): void {
    this.observed.add(row);
    const failed = isFailure(row.verdict);
    if (failed) this.failing++;
    this.hooks.onRow?.(row);
    this.results[i] = failed && (!this.compact || this.failing <= EVIDENCE_KEPT) ? row : withoutEvidence(row, this.compact && !failed);
    // Counted outside the call: `f?.(args)` skips evaluating args when there is no hook.
    this.finished++;
    this.hooks.onProgress?.({ done: this.finished, total: this.total, failing: this.failing, verdict: row.verdict });
  }

  /** Failing rows so far. */
  get failed(): number {
    return this.failing;
  }

  /** Whether a probe is still missing its row. */
  get incomplete(): boolean {
    return this.finished < this.total;
  }

  /** The rows, in probe order: all of them, or (an interrupted sweep) those done. */
  rows(): readonly ValueResult[] {
    return this.incomplete ? this.results.filter(Boolean) : this.results;
  }
}
