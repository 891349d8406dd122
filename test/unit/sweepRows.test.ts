import { describe, expect, it } from 'vitest';
import { SweepRows } from '../../src/sweep/sweepRows.js';
import type { ValueResult } from '../../src/model/valueResult.js';
import { attempt, rowOf } from '../helpers/attempts.js';

/** A row of `value` (p1,p2 style, 0..65535) that passed or was corrupted (501 to an echoed 22_). */
function row(value: number, corrupted: boolean): ValueResult {
  const sent = `PORT 127,0,0,1,${value >> 8},${value & 255}`;
  return rowOf(
    corrupted
      ? attempt({ value, sent, echo: `PORT 127,0,0,1,${value >> 8},22_\r\n`, finalReply: undefined, data: { kind: 'not-tried' } })
      : attempt({ value, sent, expectedPort: value, data: { kind: 'arrived', port: value, bytes: 1 } }),
  );
}

describe('the rows a sweep keeps', () => {
  it('a small sweep keeps the evidence of every failing row, and passing rows without it', () => {
    const rows = new SweepRows(300, {});
    for (let i = 0; i < 300; i++) rows.add(i, row(1024 + i, i % 2 === 0));
    const kept = rows.rows();
    expect(kept.filter((r) => r.verdict !== 'pass').every((r) => r.judged.length > 0)).toBe(true);
    expect(kept.filter((r) => r.verdict === 'pass').every((r) => r.judged.length === 0 && r.sent !== '')).toBe(true);
  });

  it('a large sweep keeps the attempts of its first 256 failing rows only, and the text of all of them', () => {
    const total = 5000;
    const rows = new SweepRows(total, {});
    for (let i = 0; i < total; i++) rows.add(i, row(1024 + i, i % 3 !== 0));
    const kept = rows.rows();
    const failing = kept.filter((r) => r.verdict !== 'pass');
    expect(failing.length).toBeGreaterThan(3000);
    expect(failing.filter((r) => r.judged.length > 0)).toHaveLength(256);
    // Every failing row still says what was sent and seen (the reports list them).
    expect(failing.every((r) => r.sent.startsWith('PORT ') && r.seen.endsWith('22_'))).toBe(true);
    // Passing rows are reduced to their verdict.
    expect(kept.filter((r) => r.verdict === 'pass').every((r) => r.sent === '' && r.judged.length === 0)).toBe(true);
  });
});
