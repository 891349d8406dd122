/**
 * summary.json: what was swept, how, and what came out. Never the password. `ftpsweep report` and
 * `ftpsweep merge` read it back, so it carries everything the other reports need besides the rows.
 */
import { summaryView, type SummaryTarget } from '../config/options.js';
import { type SummaryOptions, type SweepOptions } from '../config/settings.js';
import { VERDICTS, isFailure, type Verdict } from '../model/judgement.js';
import type { Shard } from '../model/shard.js';
import type { ResultRow } from '../model/valueResult.js';
import type { RetryReport } from '../sweep/connectionRetries.js';
import type { SweepOutcome } from '../sweep/sweep.js';
import { VERSION } from '../version.js';
import type { Comparison } from './baseline.js';
import { exitStatus, type ExitCode, type ExitStatus } from './exitStatus.js';

export { sweepExitCode } from './exitStatus.js';
import { dataText } from './resultsCsv.js';
import { makeRedactor } from '../ftp/secretSpellings.js';

export interface Summary {
  readonly tool: { readonly name: 'ftpsweep'; readonly version: string };
  readonly target: SummaryTarget;
  readonly options: SummaryOptions;
  /** This report is shard K of N (`--shard`), or null. */
  readonly shard: Shard | null;
  /** The report folders `ftpsweep merge` joined into this one, or null. */
  readonly mergedFrom: readonly string[] | null;
  /** The first run's start (a resumed sweep keeps the start of the run it finished). */
  readonly startedAt: string;
  readonly endedAt: string;
  /**
   * Time spent sweeping, in ms: a resumed sweep adds up its runs (the pause between them is not
   * counted, so it may be less than endedAt − startedAt); a merge spans its earliest shard's start
   * to its latest shard's end.
   */
  readonly durationMs: number;
  /** The sweep was stopped (Ctrl-C, SIGTERM, the target lost) before all its probes were done: `--resume` it. */
  readonly interrupted: boolean;
  /**
   * Why the sweep stopped on its own before the end, and what to do; or null. `by`: `target-lost`
   * (it stopped taking connections), `max-failures` (--max-failures values failed).
   */
  readonly stopped: { readonly by: 'target-lost' | 'max-failures'; readonly reason: string; readonly hint: string } | null;
  /** Control connections that failed before any probed command was sent, and were made again; null when merged. */
  readonly connectionRetries: RetryReport | null;
  /**
   * Every planned probe has its row: false for an interrupted sweep, a merge that lacks shards or
   * values, a folder whose sweep has only started. `missing` names what is not there.
   */
  readonly complete: boolean;
  readonly missing: readonly string[];
  /** Probes the sweep has (of its shard), and of those, how many are done (rows in results.csv). */
  readonly probes: number;
  readonly done: number;
  /** Rows carried over from the interrupted run this one resumed, or 0. */
  readonly resumed: number;
  /** Whether the far side was an ftpsweep reflector (byte-exact echoes). */
  readonly reflector: boolean;
  /** PASV/EPSV offers the server chose itself: the values are repeated tries, not values (no matrix). */
  readonly offersChosenByServer: boolean;
  readonly total: number;
  readonly counts: Readonly<Record<Verdict, number>>;
  readonly failing: readonly { readonly value: number; readonly verdict: Verdict; readonly sent: string; readonly seen: string; readonly data: string; readonly detail: string }[];
  /**
   * What the control-channel check before the sweep and the rows showed about the path
   * (inspection.ts). A merge or a resume keeps every distinct finding of the runs it joins; null
   * when no run made the check.
   */
  readonly inspection: Inspection | null;
  /** The comparison with `--baseline`, or null. */
  readonly baseline: Comparison | null;
  /** The value (as probeLabel names it) whose probe dialogue is in dialogue.txt, or null. */
  readonly dialogueValue: string | null;
  /** Where `--update-baseline` wrote this run's results.csv as the baseline, or null. */
  readonly baselineWritten: string | null;
  /**
   * What the command exits with (exitStatus.ts): 0 every value passed (with a baseline: none got
   * worse; with --update-baseline: the baseline was written; the demo: it saw what it expects);
   * 1 otherwise, or not every value is here; 2 the target stopped taking connections; 130/143
   * stopped by SIGINT/SIGTERM.
   */
  readonly exitCode: ExitCode;
  /** Why, in one line. */
  readonly exitReason: string;
}

/** The control-channel finding as summary.json keeps it. */
export interface Inspection {
  readonly checked: readonly string[];
  readonly findings: readonly string[];
}

/**
 * The findings of several runs of one sweep (shards, or a sweep and its resume) as one: every
 * distinct check and finding, in the order the runs are given. Not the "strongest" one: each run
 * checked its own connection and its rows show the path only for its own values (the shard that
 * swept 227 is the one that saw it rewritten), and a finding is evidence — none may be dropped
 * because another run saw nothing. Null when no run made the check.
 */
export function combineInspections(runs: readonly (Inspection | null | undefined)[]): Inspection | null {
  const made = runs.filter((run): run is Inspection => run !== null && run !== undefined);
  if (made.length === 0) return null;
  return { checked: [...new Set(made.flatMap((run) => run.checked))], findings: [...new Set(made.flatMap((run) => run.findings))] };
}

export function countVerdicts(rows: readonly ResultRow[]): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of rows) counts[r.verdict]++;
  return counts;
}

export interface SummaryParts {
  readonly target: Summary['target'];
  readonly options: SummaryOptions;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** Default: endedAt − startedAt. */
  readonly durationMs?: number;
  readonly reflector: boolean;
  readonly offersChosenByServer?: boolean;
  readonly rows: readonly ResultRow[];
  readonly shard?: Shard | null;
  readonly mergedFrom?: readonly string[] | null;
  readonly baseline?: Comparison | null;
  readonly dialogueValue?: string | null;
  readonly inspection?: Summary['inspection'];
  readonly interrupted?: boolean;
  /** What of the plan has no row; default: nothing. */
  readonly missing?: readonly string[];
  readonly stopped?: Summary['stopped'];
  readonly connectionRetries?: RetryReport | null;
  /** Planned probes; default: the rows. */
  readonly probes?: number;
  readonly resumed?: number;
  /** The signal that stopped the command, if one did (its exit code is 128 + its number). */
  readonly signal?: string | undefined;
  readonly baselineWritten?: string | null;
  /** What decides the exit code instead of the verdicts (the demo, which expects a failure). */
  readonly expected?: ExitStatus | undefined;
}

export function makeSummary(parts: SummaryParts): Summary {
  const { rows } = parts;
  return {
    tool: { name: 'ftpsweep', version: VERSION },
    target: parts.target,
    options: parts.options,
    shard: parts.shard ?? null,
    mergedFrom: parts.mergedFrom ?? null,
    startedAt: parts.startedAt.toISOString(),
    endedAt: parts.endedAt.toISOString(),
    durationMs: parts.durationMs ?? parts.endedAt.getTime() - parts.startedAt.getTime(),
    interrupted: parts.interrupted ?? false,
    complete: (parts.missing ?? []).length === 0 && parts.interrupted !== true,
    missing: parts.missing ?? [],
    stopped: parts.stopped ?? null,
    connectionRetries: parts.connectionRetries ?? null,
    probes: parts.probes ?? rows.length,
    done: rows.length,
    resumed: parts.resumed ?? 0,
    reflector: parts.reflector,
    offersChosenByServer: parts.offersChosenByServer ?? false,
    total: rows.length,
    counts: countVerdicts(rows),
    failing: rows.filter((r) => isFailure(r.verdict)).map((r) => ({ value: r.value, verdict: r.verdict, sent: r.sent, seen: r.seen, data: dataText(r.data), detail: r.detail })),
    inspection: parts.inspection ?? null,
    baseline: parts.baseline ?? null,
    dialogueValue: parts.dialogueValue ?? null,
    baselineWritten: parts.baselineWritten ?? null,
    // A summary of part of a sweep passes nothing: what is missing was never checked.
    ...exitStatus({
      rows,
      twoFields: parts.options.fields.length === 2,
      probes: parts.probes ?? rows.length,
      missing: parts.missing ?? [],
      interrupted: parts.interrupted ?? false,
      stopped: parts.stopped ?? null,
      signal: parts.signal,
      baseline: parts.baseline ?? null,
      baselineWritten: parts.baselineWritten ?? null,
      expected: parts.expected,
    }),
  };
}

/** summary.json's text. */
export function summaryJson(summary: Summary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/**
 * What a resumed run takes over from the run it finishes (that run's summary.json): its start, the
 * time it spent, its control-channel finding and what it learnt of the far side — a run that
 * finishes a done sweep probes nothing, and would otherwise report "no sign of inspection".
 */
function carriedOver(previous: Summary | undefined, startedAt: Date, endedAt: Date, inspection: Inspection | null): Pick<SummaryParts, 'startedAt' | 'endedAt' | 'durationMs' | 'inspection'> {
  const ran = endedAt.getTime() - startedAt.getTime();
  if (previous === undefined) return { startedAt, endedAt, durationMs: ran, inspection };
  const first = new Date(previous.startedAt);
  return {
    startedAt: Number.isNaN(first.getTime()) ? startedAt : first,
    endedAt,
    durationMs: (Number.isFinite(previous.durationMs) ? previous.durationMs : 0) + ran,
    inspection: combineInspections([previous.inspection, inspection]),
  };
}

/**
 * The summary written when a sweep starts, before its first probe: what it is (target, options,
 * plan), so a resume after a SIGKILL can check it, and the rows carried over, marked interrupted.
 * `previous`: the summary of the run a resume finishes, whose findings and time it keeps.
 */
export function startedSummary(options: SweepOptions, probes: number, carried: readonly ResultRow[], startedAt: Date, missing: readonly string[], previous?: Summary): Summary {
  return makeSummary({
    ...summaryView(options),
    ...carriedOver(previous, startedAt, startedAt, null),
    reflector: previous?.reflector ?? false,
    offersChosenByServer: previous?.offersChosenByServer ?? false,
    rows: carried,
    probes,
    resumed: carried.length,
    interrupted: true,
    missing,
    shard: options.shard ?? null,
  });
}

/**
 * The summary of a sweep just run; `extra.rows` replaces the outcome's (a resumed sweep's whole set).
 * `previous`: the summary of the run a resume finishes — its start, time and findings are kept.
 */
export function buildSummary(
  options: SweepOptions,
  outcome: SweepOutcome,
  extra: Partial<Pick<SummaryParts, 'shard' | 'baseline' | 'dialogueValue' | 'probes' | 'resumed' | 'rows' | 'missing' | 'signal' | 'baselineWritten' | 'expected'>> = {},
  previous?: Summary,
): Summary {
  // The findings and the reason a sweep stopped carry what servers said: a password they quote is masked.
  const redact = makeRedactor(options.password);
  const inspection = outcome.inspection && { checked: outcome.inspection.checked, findings: outcome.inspection.findings.map(redact) };
  return makeSummary({
    ...summaryView(options),
    ...carriedOver(previous, outcome.startedAt, outcome.endedAt, inspection ?? null),
    reflector: outcome.reflector || previous?.reflector === true,
    // A run that probed nothing saw no offer: what the run it finished saw stands.
    offersChosenByServer: previous !== undefined && outcome.results.length === 0 ? previous.offersChosenByServer : outcome.offersChosenByServer,
    interrupted: outcome.interrupted,
    stopped: outcome.stopped ? { by: outcome.stopped.by, reason: redact(outcome.stopped.reason), hint: outcome.stopped.hint } : null,
    connectionRetries: outcome.retries,
    ...extra,
    rows: extra.rows ?? outcome.results,
  });
}
