/**
 * One row of the report: a value's attempts merged into what a firewall engineer reads.
 */
import { stripEcho } from '../ftp/echo.js';
import { replyMessage } from '../ftp/replyParser.js';
import type { DataOutcome } from './evidence.js';
import { type Verdict } from './judgement.js';
import type { Variant } from './variants.js';
import { decide, type Judged } from './verdict.js';

/** What a row keeps of the data connection: where it went, not how many bytes. */
export type RowData = { readonly kind: 'not-tried' | 'none' | 'arrived' | 'open' } | { readonly kind: 'wrong-port'; readonly port: number };

/** One object per outcome without a port: 65,536 rows share them (memory stays flat). */
const SHARED: Readonly<Record<Exclude<RowData['kind'], 'wrong-port'>, RowData>> = {
  'not-tried': { kind: 'not-tried' },
  none: { kind: 'none' },
  arrived: { kind: 'arrived' },
  open: { kind: 'open' },
};

/** The row's view of an attempt's data outcome. */
export function rowData(data: DataOutcome): RowData {
  return data.kind === 'wrong-port' ? { kind: 'wrong-port', port: data.port } : SHARED[data.kind];
}

/** Whether the data reached the port sent (and was read to its end, or left open by the server). */
export function dataArrived(data: RowData): boolean {
  return data.kind === 'arrived' || data.kind === 'open';
}

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
  /** What happened to the data connection (results.csv writes it `arrived`, `wrong-port:N` …). */
  readonly data: RowData;
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

/**
 * The row with the password masked in the text a server gave (reply, detail). `seen` is the far
 * side's word on our own line: masked only when our line does not hold the same spelling (a short
 * password may be a byte of an address). Judged before: masking never changes a verdict.
 */
export function redactRow<T extends ResultRow>(row: T, redact: (text: string) => string): T {
  const reply = redact(row.reply);
  const detail = redact(row.detail);
  const seen = redact(row.sent) === row.sent ? redact(row.seen) : row.seen;
  return reply === row.reply && detail === row.detail && seen === row.seen ? row : { ...row, reply, detail, seen };
}

/** Merges a value's judged attempts (at least one; each classified once, by `judge`) into its row. */
export function valueResult(judged: readonly Judged[]): ValueResult {
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
    data: rowData(attempt.data),
    failures: decision.failures,
    attempts: decision.attempts,
    detail,
    ms: attempt.ms,
    judged,
  };
}
