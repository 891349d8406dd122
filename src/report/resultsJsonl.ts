/**
 * results.jsonl: the rows of results.csv for programs, one JSON object per line, typed. Written
 * beside results.csv with the same discipline (resultsStream.ts) and rewritten whole by a merge or
 * a resume; results.csv stays the file ftpsweep reads back.
 */
import type { ResultRow } from '../model/valueResult.js';

/**
 * One line of results.jsonl: one probe's row, as results.csv has it but typed — the fields of a
 * row (valueResult.ts), except that `replyCode` is absent, not undefined, when there was no reply
 * (JSON has no undefined). `data` is `{ "kind": "arrived" }`, `{ "kind": "wrong-port", "port": 16406 }` …
 */
export type ResultRecord = Omit<ResultRow, 'replyCode'> & { readonly replyCode?: number };

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
