/**
 * results.csv: one row per value, for the firewall ticket. Column order is part of the interface:
 * baselines, `ftpsweep report` and `ftpsweep merge` read the file back.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../errors.js';
import { VERDICTS, type Verdict } from '../model/judgement.js';
import { probeId } from '../model/probes.js';
import type { ResultRow, RowData } from '../model/valueResult.js';
import { csvText, fromCsvText } from './safeText.js';
import { VARIANTS, type Variant } from '../model/variants.js';

/**
 * The columns, in this order: the ten every report has, `variant` (how the command was written),
 * then `failures` and `attempts` — `repeat` (`3/3`) as numbers, since a spreadsheet reads `3/3` as
 * a date. New columns go at the end, so a column's position never changes.
 */
export const RESULT_COLUMNS = ['value', 'sent', 'seen', 'reply_code', 'reply', 'data', 'verdict', 'repeat', 'detail', 'ms', 'variant', 'failures', 'attempts'] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number];

/** The columns of results.csv before `failures` and `attempts`: still read (baselines, resume, merge). */
const EARLIER_COLUMNS = RESULT_COLUMNS.slice(0, 11);
const HEADERS = [RESULT_COLUMNS.join(','), EARLIER_COLUMNS.join(',')];

/** The `data` column: `arrived`, `arrived-open`, `none`, `not-tried`, `wrong-port:16406`. */
export function dataText(data: RowData): string {
  return data.kind === 'wrong-port' ? `wrong-port:${data.port}` : data.kind === 'open' ? 'arrived-open' : data.kind;
}

/** The `data` column read back, or undefined when it is none of those. */
function parseData(text: string): RowData | undefined {
  const wrong = /^wrong-port:(\d{1,5})$/.exec(text);
  if (wrong) return { kind: 'wrong-port', port: Number(wrong[1]) };
  if (text === 'arrived-open') return { kind: 'open' };
  return text === 'arrived' || text === 'none' || text === 'not-tried' ? { kind: text } : undefined;
}

/** `repeat` is failures/attempts: `3/3` failed every time, `1/3` intermittently, `0/1` passed. */
export function csvRecord(r: ResultRow): Record<ResultColumn, string | number> {
  return {
    value: r.value,
    sent: csvText(r.sent),
    seen: csvText(r.seen),
    reply_code: r.replyCode ?? '',
    reply: csvText(r.reply),
    data: dataText(r.data),
    verdict: r.verdict,
    repeat: `${r.failures}/${r.attempts}`,
    detail: csvText(r.detail),
    ms: r.ms,
    variant: r.variant,
    failures: r.failures,
    attempts: r.attempts,
  };
}

/**
 * A row's cells in column order. csv-stringify reads an object's columns through a path lookup per
 * cell; an array it takes as it is (a third less CPU over a 65,536-row sweep).
 */
export function csvCells(r: ResultRow): (string | number)[] {
  const record = csvRecord(r);
  return RESULT_COLUMNS.map((column) => record[column]);
}

/** A cell csv-stringify writes as it is: no delimiter, quote or line break. */
const PLAIN = /^[^",\r\n]*$/;
/** A cell csv-stringify only wraps in quotes: a delimiter, but no quote or line break (RFC 4180 §2.6). */
const WRAPPED = /^[^"\r\n]*$/;

/**
 * Rows of cells as csv-stringify writes them, with the header first if asked. csv-stringify made a
 * quarter of everything a 65,536-probe sweep allocated (a cast, a context and a few arrays per
 * cell); the two kinds of cell almost every row holds — plain, or holding a comma like `sent` — are
 * written here exactly as it writes them (a property test holds the two to the same bytes), and any
 * row with a quote or line break in a cell goes to csv-stringify itself.
 */
export function csvLines(rows: readonly (readonly (string | number)[])[], header: boolean): string {
  let text = header ? stringify([], { header: true, columns: [...RESULT_COLUMNS] }) : '';
  for (const cells of rows) {
    const line = simpleLine(cells);
    text += line === undefined ? stringify([[...cells]]) : `${line}\n`;
  }
  return text;
}

/** The row's line when every cell is plain or only needs wrapping in quotes; otherwise undefined. */
function simpleLine(cells: readonly (string | number)[]): string | undefined {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    const shown = typeof cell === 'number' ? String(cell) : PLAIN.test(cell) ? cell : WRAPPED.test(cell) ? `"${cell}"` : undefined;
    if (shown === undefined) return undefined;
    line += i === 0 ? shown : `,${shown}`;
  }
  return line;
}

/** A whole results.csv (`ftpsweep merge`; a sweep streams its own, resultsStream.ts). */
export function resultsCsv(results: readonly ResultRow[]): string {
  return csvLines(results.map(csvCells), true);
}

/**
 * Reads a results.csv back. `source` names the file in errors: a file that is not an ftpsweep
 * results.csv is a user's mistake (a wrong --baseline), reported as one line.
 */
export function parseResultsCsv(text: string, source: string): ResultRow[] {
  const bad = (what: string): UsageError => new UsageError(`${source}: ${what}`, 'give a results.csv written by ftpsweep, or the report folder holding it');
  // Empty: a sweep stopped (a full disk, a SIGKILL) before its header was written. No rows yet.
  if (text === '') return [];
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (!HEADERS.includes(firstLine)) throw bad(`the header is not ${RESULT_COLUMNS.join(',')}`);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: false }) as string[][];
  } catch (error) {
    throw bad(`not a CSV file (${(error as Error).message.split('\n')[0]})`);
  }
  const [header, ...rows] = records;
  if (!header || !HEADERS.includes(header.join(','))) throw bad(`the header is not ${RESULT_COLUMNS.join(',')}`); // e.g. quoted
  const seen = new Set<number>();
  return rows.map((row, i) => {
    const line = i + 2;
    const [value, sent, seenCol, replyCode, reply, data, verdict, repeat, detail, ms, variant, failuresCol, attemptsCol] = row as [string, string, string, string, string, string, string, string, string, string, string, string?, string?];
    const repeatMatch = /^(\d+)\/(\d+)$/.exec(repeat);
    if (!/^\d+$/.test(value) || Number(value) > 65535) throw bad(`line ${line}: value ${JSON.stringify(value)} is not a number 0..65535`);
    if (!(VARIANTS as readonly string[]).includes(variant)) throw bad(`line ${line}: unknown variant ${JSON.stringify(variant)}`);
    const id = probeId({ value: Number(value), variant: variant as Variant });
    if (seen.has(id)) throw bad(`line ${line}: value ${value} (${variant}) appears twice`);
    seen.add(id);
    if (!(VERDICTS as readonly string[]).includes(verdict)) throw bad(`line ${line}: unknown verdict ${JSON.stringify(verdict)}`);
    if (!repeatMatch) throw bad(`line ${line}: repeat ${JSON.stringify(repeat)} is not failures/attempts`);
    // An edited file whose columns disagree is not guessed at.
    if (failuresCol !== undefined && (failuresCol !== repeatMatch[1] || attemptsCol !== repeatMatch[2])) {
      throw bad(`line ${line}: failures ${JSON.stringify(failuresCol)} and attempts ${JSON.stringify(attemptsCol)} disagree with repeat ${repeat}`);
    }
    const rowData = parseData(data);
    if (!rowData) throw bad(`line ${line}: data ${JSON.stringify(data)} is not arrived, arrived-open, none, not-tried or wrong-port:N`);
    return {
      value: Number(value),
      variant: variant as Variant,
      sent: fromCsvText(sent),
      seen: fromCsvText(seenCol),
      replyCode: replyCode === '' ? undefined : Number(replyCode),
      reply: fromCsvText(reply),
      data: rowData,
      verdict: verdict as Verdict,
      failures: Number(repeatMatch[1]),
      attempts: Number(repeatMatch[2]),
      detail: fromCsvText(detail),
      ms: Number(ms) || 0,
    };
  });
}
