/**
 * What the command exits with, and why in one line: summary.json states both, so a pipeline that
 * reads the file learns what the step's exit code meant (the demo expects a failure and exits 0;
 * --update-baseline exits 0 whatever the firewall did).
 */
import { isFailure } from '../model/judgement.js';
import { probeLabel } from '../model/probes.js';
import type { ResultRow } from '../model/valueResult.js';
import type { Comparison } from './baseline.js';

/** The exit codes a sweep's command can end with (the CLI's table, README "Exit codes"). */
export type ExitCode = 0 | 1 | 2 | 130 | 143;

export interface ExitStatus {
  readonly exitCode: ExitCode;
  readonly exitReason: string;
}

/** 128 + the signal's number, the shell's convention (cli/io.ts stops the sweep on these). */
const SIGNAL_EXIT: Readonly<Record<string, ExitCode>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * The exit code: 1 when any value failed — or, given a baseline comparison, only when a value got
 * worse than in the baseline. Otherwise 0.
 */
export function sweepExitCode(rows: readonly ResultRow[], baseline?: Comparison | null): 0 | 1 {
  if (baseline) return baseline.newFailures.length > 0 ? 1 : 0;
  return rows.some((r) => isFailure(r.verdict)) ? 1 : 0;
}

/** How many values a reason names; summary.json lists them all elsewhere. */
const NAMED = 8;

function named(labels: readonly string[]): string {
  return labels.slice(0, NAMED).join(', ') + (labels.length > NAMED ? `, … (${labels.length} in all)` : '');
}

export interface ExitFacts {
  readonly rows: readonly ResultRow[];
  readonly twoFields: boolean;
  readonly probes: number;
  readonly missing: readonly string[];
  readonly interrupted: boolean;
  /** Why the sweep stopped on its own: the target lost (an error), or --max-failures reached (a result). */
  readonly stopped: { readonly by: 'target-lost' | 'max-failures'; readonly reason: string } | null;
  /** The signal that stopped the command (`SIGINT`, `SIGTERM`), if one did. */
  readonly signal?: string | undefined;
  readonly baseline: Comparison | null;
  /** Where --update-baseline wrote this run's results, if it did. */
  readonly baselineWritten: string | null;
  /** What the caller expects instead of every value passing (the demo), when it decides. */
  readonly expected?: ExitStatus | undefined;
}

/** The exit code and its reason, from the strongest cause down. */
export function exitStatus(facts: ExitFacts): ExitStatus {
  if (facts.stopped?.by === 'target-lost') return { exitCode: 2, exitReason: `stopped before the end: ${facts.stopped.reason}` };
  const signalled = facts.signal === undefined ? undefined : SIGNAL_EXIT[facts.signal];
  if (signalled !== undefined) return { exitCode: signalled, exitReason: `stopped by ${facts.signal}: ${facts.rows.length} of ${facts.probes} probes done (--resume finishes the sweep)` };
  if (facts.stopped) return { exitCode: 1, exitReason: `stopped after ${facts.rows.length} of ${facts.probes} probes: ${facts.stopped.reason}` };
  if (facts.baselineWritten !== null) {
    const failing = facts.rows.filter((r) => isFailure(r.verdict)).length;
    return { exitCode: 0, exitReason: `wrote this run's results as the baseline ${facts.baselineWritten} (${failing} failing value${failing === 1 ? '' : 's'}, known failures from now on)` };
  }
  if (facts.expected) return facts.expected;
  if (facts.missing.length > 0 || facts.interrupted) return { exitCode: 1, exitReason: `not every probe was made: ${facts.rows.length} of ${facts.probes} are here, and what is missing was never checked` };
  const b = facts.baseline;
  if (b) {
    if (b.newFailures.length > 0) return { exitCode: 1, exitReason: `${b.newFailures.length} value${b.newFailures.length === 1 ? '' : 's'} got worse than in the baseline ${b.source}: ${named(b.newFailures)}` };
    const known = b.unchanged.length + b.changed.length;
    return { exitCode: 0, exitReason: `no value got worse than in the baseline ${b.source}${known > 0 ? ` (${known} known failure${known === 1 ? '' : 's'})` : ''}` };
  }
  const failing = facts.rows.filter((r) => isFailure(r.verdict)).map((r) => probeLabel(r, facts.twoFields));
  if (failing.length > 0) return { exitCode: 1, exitReason: `${failing.length} of ${facts.rows.length} values failed: ${named(failing)}` };
  return { exitCode: 0, exitReason: `all ${facts.rows.length} values passed or were translated` };
}
