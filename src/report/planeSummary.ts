/**
 * A 2-D sweep in words: which values of one field fail whatever the other field is. A firewall bug
 * keyed on one byte (the story's last byte 227) shows as a whole column of the 256 × 256 picture —
 * a line a ticket can quote — while scattered failures get counts only, never a pattern they do
 * not have.
 */
import { isFailure, type Verdict } from '../model/judgement.js';
import { shortValueList } from '../model/values.js';

/** What the summary reads of a row: value = first × 256 + second. */
export interface PlaneCell {
  readonly value: number;
  readonly verdict: Verdict;
}

export interface PlaneSummary {
  readonly probed: number;
  readonly failing: number;
  /** First-field values (rows) with at least one failure, and second-field values (columns). */
  readonly failingRows: readonly number[];
  readonly failingColumns: readonly number[];
  /** Second-field values failing in every row probed with them (at least two rows). */
  readonly wholeColumns: readonly number[];
  /** First-field values failing in every column probed with them (at least two columns). */
  readonly wholeRows: readonly number[];
  /** Failing cells in neither a whole row nor a whole column. */
  readonly scattered: number;
}

/** Rows = the first field's values, columns = the second's; only probed cells count. */
export function planeSummary(cells: Iterable<PlaneCell>): PlaneSummary {
  const probed = new Uint8Array(65536);
  const failed = new Uint8Array(65536);
  const [rowProbed, rowFailed, colProbed, colFailed] = [0, 0, 0, 0].map(() => new Uint32Array(256)) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let count = 0;
  let failing = 0;
  for (const { value, verdict } of cells) {
    if (probed[value]) continue;
    probed[value] = 1;
    count++;
    rowProbed[value >> 8]!++;
    colProbed[value & 255]!++;
    if (!isFailure(verdict)) continue;
    failed[value] = 1;
    failing++;
    rowFailed[value >> 8]!++;
    colFailed[value & 255]!++;
  }
  const bytes = Array.from({ length: 256 }, (_, i) => i);
  const wholeRows = bytes.filter((r) => rowProbed[r]! >= 2 && rowFailed[r] === rowProbed[r]);
  const wholeColumns = bytes.filter((c) => colProbed[c]! >= 2 && colFailed[c] === colProbed[c]);
  const [inRow, inColumn] = [new Set(wholeRows), new Set(wholeColumns)];
  let scattered = 0;
  for (let v = 0; v < 65536; v++) if (failed[v] && !inRow.has(v >> 8) && !inColumn.has(v & 255)) scattered++;
  return {
    probed: count,
    failing,
    failingRows: bytes.filter((r) => rowFailed[r]! > 0),
    failingColumns: bytes.filter((c) => colFailed[c]! > 0),
    wholeColumns,
    wholeRows,
    scattered,
  };
}

const number = (n: number): string => n.toLocaleString('en-US');

const valueList = (values: readonly number[]): string => shortValueList(values);

/**
 * The summary's lines, naming the fields (`p1`, `p2`): the counts first, then each whole row or
 * column, e.g. "p2 227 fails in every row: with all 252 values of p1". No failure: the count only.
 */
export function planeSummaryLines(s: PlaneSummary, fields: readonly [string, string]): string[] {
  const [first, second] = fields;
  if (s.failing === 0) return [`none of ${number(s.probed)} values failed`];
  const lines = [
    `${number(s.failing)} of ${number(s.probed)} values failed, in ${s.failingRows.length} row${s.failingRows.length === 1 ? '' : 's'} (${first} ${valueList(s.failingRows)}) ` +
      `and ${s.failingColumns.length} column${s.failingColumns.length === 1 ? '' : 's'} (${second} ${valueList(s.failingColumns)})`,
  ];
  if (s.failing === s.probed) return [...lines, 'every value probed failed: the fault does not depend on either field'];
  const fails = (values: readonly number[]): string => (values.length === 1 ? 'fails' : 'fail');
  if (s.wholeColumns.length > 0) lines.push(`${second} ${valueList(s.wholeColumns)} ${fails(s.wholeColumns)} in every row: whatever ${first} is`);
  if (s.wholeRows.length > 0) lines.push(`${first} ${valueList(s.wholeRows)} ${fails(s.wholeRows)} in every column: whatever ${second} is`);
  if (s.wholeColumns.length + s.wholeRows.length > 0 && s.scattered > 0) lines.push(`${number(s.scattered)} other failing value${s.scattered === 1 ? '' : 's'}, in no whole row or column`);
  return lines;
}
