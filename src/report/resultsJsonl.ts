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
 * One row's line, without its LF. JSON escapes every control character (a line break in a server's
 * text included), so each LF in the file ends a record. Text is as the row has it: no CSV formula
 * guard is needed, and the password was masked before any row was made. A literal of the record's
 * keys, not a replacer list: a row carrying more (a sweep's evidence) is written without it, and
 * JSON.stringify keeps its fast path (a replacer list made it 7 µs a row, a tenth of a 65,536-probe
 * sweep's CPU).
 */
export function jsonlLine(row: ResultRecord): string {
  const { value, variant, verdict, sent, seen, replyCode, reply, data, failures, attempts, detail, ms } = row;
  const record: ResultRecord = { value, variant, verdict, sent, seen, replyCode, reply, data: data.kind === 'wrong-port' ? { kind: data.kind, port: data.port } : { kind: data.kind }, failures, attempts, detail, ms };
  return JSON.stringify(record);
}

/** A whole results.jsonl (a merge, a re-written report; a sweep streams its own). */
export function resultsJsonl(rows: readonly ResultRecord[]): string {
  let text = '';
  for (const row of rows) text += `${jsonlLine(row)}\n`;
  return text;
}
