/**
 * One row of the report: a value's attempts merged into what a firewall engineer reads.
 */
import { stripEcho } from '../ftp/echo.js';
import { replyMessage } from '../ftp/replyParser.js';
import type { Attempt, DataOutcome } from './evidence.js';
import type { Variant } from './variants.js';
import { type Verdict } from './judgement.js';
import { classify, decide, type Judged } from './verdict.js';

/** A report row: what results.csv holds for one value, and all reports are made from. */
export interface ResultRow {
  /** The swept value; for a 2-D sweep, first × 256 + second. */
  readonly value: number;
  /** How the command was written (`plain` unless --variant). */
  readonly variant: Variant;
  readonly verdict: Verdict;
  /** The command sent (of the attempt shown), without CRLF. */
  readonly sent: string;
  /** What the far side saw, when known: an echo, the reflector's bytes, or inferred from the data port. */
  readonly seen: string;
  /** Code of the last reply of the attempt shown. */
  readonly replyCode: number | undefined;
  /** The attempt's replies, `code text | code text …`. */
  readonly reply: string;
  /** `arrived`, `none`, `wrong-port:N`, `arrived-open`, `not-tried`. */
  readonly data: string;
  readonly failures: number;
  readonly attempts: number;
  readonly detail: string;
  /** Duration of the attempt shown, in milliseconds. */
  readonly ms: number;
}

/** A row as the sweep made it, with the evidence behind it. */
export interface ValueResult extends ResultRow {
  /** Every attempt with its judgement, first pass first. */
  readonly judged: readonly Judged[];
}

/** Merges a value's attempts (at least one) into its row. */
export function valueResult(attempts: readonly Attempt[]): ValueResult {
  const judged = attempts.map((attempt) => ({ attempt, judgement: classify(attempt) }));
  const decision = decide(judged);
  const { attempt, judgement } = decision.chosen;
  const last = attempt.replies.at(-1);
  const notes = [...new Set(judged.flatMap((j) => j.attempt.notes))];
  const detail = [
    decision.intermittent ? `intermittent: ${decision.failures} of ${decision.attempts} attempts failed; ` : '',
    judgement.detail,
    notes.length > 0 ? ` (${notes.join('; ')})` : '',
  ].join('');
  return {
    value: attempt.value,
    variant: attempt.variant,
    verdict: judgement.verdict,
    sent: attempt.sent,
    seen: judgement.seen,
    replyCode: last?.code,
    reply: attempt.replies.map((r) => `${r.code} ${stripEcho(replyMessage(r).split('\n')[0]!)}`.trim()).join(' | '),
    data: describeData(attempt.data),
    failures: decision.failures,
    attempts: decision.attempts,
    detail,
    ms: attempt.ms,
    judged,
  };
}

export function describeData(data: DataOutcome): string {
  switch (data.kind) {
    case 'not-tried':
      return 'not-tried';
    case 'none':
      return 'none';
    case 'arrived':
      return 'arrived';
    case 'open':
      return 'arrived-open';
    case 'wrong-port':
      return `wrong-port:${data.port}`;
  }
}
