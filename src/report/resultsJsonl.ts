/**
 * results.jsonl: the rows of results.csv for programs, one JSON object per line, typed. Written
 * beside results.csv with the same discipline (resultsStream.ts) and rewritten whole by a merge or
 * a resume; results.csv stays the file ftpsweep reads back.
 */
import type { Verdict } from '../model/judgement.js';
import type { RowData } from '../model/valueResult.js';
import type { Variant } from '../model/variants.js';

/** One line of results.jsonl: one probe's row, as results.csv has it but typed. */
export interface ResultRecord {
  /** The swept value; for a 2-D sweep (`--field p1,p2`), first × 256 + second. */
  readonly value: number;
  /** How the command was written (`plain` unless --variant). */
  readonly variant: Variant;
  readonly verdict: Verdict;
  /** The command sent, without CRLF. */
  readonly sent: string;
  /** What the far side saw, when known; empty otherwise. */
  readonly seen: string;
  /** The last reply's code; absent when there was no reply. */
  readonly replyCode?: number;
  /** The attempt's replies, `code text | code text …`. */
  readonly reply: string;
  /** Where the data connection went: `{ "kind": "arrived" }`, `{ "kind": "wrong-port", "port": 16406 }` … */
  readonly data: RowData;
  /** Attempts that failed, and attempts made (results.csv's `repeat`, `failures/attempts`). */
  readonly failures: number;
  readonly attempts: number;
  readonly detail: string;
  /** Duration of the attempt shown, in ms. */
  readonly ms: number;
}

/**
 * The keys written, in this order; also JSON.stringify's filter, so a row carrying more (a sweep's
 * evidence) is written without copying it. `kind` and `port` are `data`'s keys.
 */
const KEYS: readonly (keyof ResultRecord | 'kind' | 'port')[] = ['value', 'variant', 'verdict', 'sent', 'seen', 'replyCode', 'reply', 'data', 'kind', 'port', 'failures', 'attempts', 'detail', 'ms'];
const FILTER = KEYS as (string | number)[];

/**
 * One row's line, without its LF. JSON escapes every control character (a line break in a server's
 * text included), so each LF in the file ends a record. Text is as the row has it: no CSV formula
 * guard is needed, and the password was masked before any row was made.
 */
export function jsonlLine(row: ResultRecord): string {
  return JSON.stringify(row, FILTER);
}

/** A whole results.jsonl (a merge, a re-written report; a sweep streams its own). */
export function resultsJsonl(rows: readonly ResultRecord[]): string {
  let text = '';
  for (const row of rows) text += `${jsonlLine(row)}\n`;
  return text;
}
