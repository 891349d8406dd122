/**
 * results.csv: one row per value, for the firewall ticket. Column order is part of the interface.
 */
import { stringify } from 'csv-stringify/sync';
import type { ValueResult } from '../sweep/valueResult.js';

export const RESULT_COLUMNS = ['value', 'sent', 'seen', 'reply_code', 'reply', 'data', 'verdict', 'repeat', 'detail', 'ms'] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number];

/** `repeat` is failures/attempts: `3/3` failed every time, `1/3` intermittently, `0/1` passed. */
export function resultRow(r: ValueResult): Record<ResultColumn, string | number> {
  return {
    value: r.value,
    sent: r.sent,
    seen: r.seen,
    reply_code: r.replyCode ?? '',
    reply: r.reply,
    data: r.data,
    verdict: r.verdict,
    repeat: `${r.failures}/${r.attempts}`,
    detail: r.detail,
    ms: r.ms,
  };
}

export function resultsCsv(results: readonly ValueResult[]): string {
  return stringify(results.map(resultRow), { header: true, columns: [...RESULT_COLUMNS] });
}
