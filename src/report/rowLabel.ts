import type { ResultRow } from '../model/valueResult.js';

/**
 * A row as people name it: `227`; `124,227` for a 2-D sweep (first,second); with a syntax variant,
 * `227 trailing-space`. Unique within a sweep, so baselines, JUnit and merges key on it.
 */
export function rowLabel(row: Pick<ResultRow, 'value' | 'variant'>, twoFields: boolean): string {
  const value = twoFields ? `${row.value >> 8},${row.value & 255}` : String(row.value);
  return row.variant === 'plain' ? value : `${value} ${row.variant}`;
}
