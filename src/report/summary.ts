/**
 * summary.json: what was swept, how, and what came out. Never the password.
 */
import { formatValueList } from '../sweep/values.js';
import type { SweepOptions, SweepOutcome } from '../sweep/sweep.js';
import type { ValueResult } from '../sweep/valueResult.js';
import { VERDICTS, isFailure, type Verdict } from '../sweep/verdict.js';
import { VERSION } from '../version.js';

export interface Summary {
  readonly tool: { readonly name: 'ftpsweep'; readonly version: string };
  readonly target: { readonly host: string; readonly port: number; readonly user: string };
  readonly options: {
    readonly oracle: string;
    readonly values: string;
    readonly highByte: string | number;
    readonly advertise: string | null;
    readonly concurrency: number;
    readonly timeoutMs: number;
    readonly confirm: number;
  };
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  /** Whether the far side was an ftpsweep reflector (byte-exact echoes). */
  readonly reflector: boolean;
  readonly total: number;
  readonly counts: Readonly<Record<Verdict, number>>;
  readonly failing: readonly { readonly value: number; readonly verdict: Verdict; readonly sent: string; readonly seen: string; readonly data: string; readonly detail: string }[];
  /** 0: every value passed or was translated; 1: some value failed. */
  readonly exitCode: 0 | 1;
}

export function countVerdicts(results: readonly ValueResult[]): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) counts[r.verdict]++;
  return counts;
}

/** The sweep's exit code: 1 when any value failed (a firewall problem to report), else 0. */
export function sweepExitCode(results: readonly ValueResult[]): 0 | 1 {
  return results.some((r) => isFailure(r.verdict)) ? 1 : 0;
}

export function buildSummary(options: SweepOptions, outcome: SweepOutcome): Summary {
  return {
    tool: { name: 'ftpsweep', version: VERSION },
    target: { host: options.host, port: options.port, user: options.user },
    options: {
      oracle: options.oracle,
      values: formatValueList(options.values),
      highByte: options.highByte,
      advertise: options.advertise ?? null,
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      confirm: options.confirm,
    },
    startedAt: outcome.startedAt.toISOString(),
    endedAt: outcome.endedAt.toISOString(),
    durationMs: outcome.endedAt.getTime() - outcome.startedAt.getTime(),
    reflector: outcome.reflector,
    total: outcome.results.length,
    counts: countVerdicts(outcome.results),
    failing: outcome.results
      .filter((r) => isFailure(r.verdict))
      .map((r) => ({ value: r.value, verdict: r.verdict, sent: r.sent, seen: r.seen, data: r.data, detail: r.detail })),
    exitCode: sweepExitCode(outcome.results),
  };
}
