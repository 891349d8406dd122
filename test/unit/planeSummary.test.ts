import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/model/judgement.js';
import { planeSummary, planeSummaryLines, type PlaneCell } from '../../src/report/planeSummary.js';

/** Every pair of `firsts` × `seconds`, failing (corrupted) where `bad(first, second)`. */
function plane(firsts: readonly number[], seconds: readonly number[], bad: (a: number, b: number) => boolean, verdict: Verdict = 'corrupted'): PlaneCell[] {
  return firsts.flatMap((a) => seconds.map((b) => ({ value: a * 256 + b, verdict: bad(a, b) ? verdict : 'pass' })));
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const lines = (cells: PlaneCell[]): string[] => planeSummaryLines(planeSummary(cells), ['p1', 'p2']);

describe('a 2-D sweep in words', () => {
  it('a whole column: the second byte fails in every row', () => {
    const cells = plane(range(4, 255), range(0, 255), (_, b) => b === 227);
    const s = planeSummary(cells);
    expect(s).toMatchObject({ probed: 252 * 256, failing: 252, wholeColumns: [227], wholeRows: [], scattered: 0 });
    expect(lines(cells)).toEqual(['252 of 64,512 values failed, in 252 rows (p1 4-255) and 1 column (p2 227)', 'p2 227 fails in every row: whatever p1 is']);
  });

  it('a whole row: the first byte fails in every column, and one failure elsewhere is counted apart', () => {
    const cells = plane(range(4, 40), range(0, 255), (a, b) => a === 10 || (a === 30 && b === 7), 'timeout');
    const s = planeSummary(cells);
    expect(s).toMatchObject({ failing: 257, wholeRows: [10], wholeColumns: [], scattered: 1, failingRows: [10, 30] });
    expect(lines(cells)).toEqual([
      '257 of 9,472 values failed, in 2 rows (p1 10,30) and 256 columns (p2 0-255)',
      'p1 10 fails in every column: whatever p2 is',
      '1 other failing value, in no whole row or column',
    ]);
  });

  it('scattered cells: counts only, no row or column line', () => {
    const cells = plane(range(100, 120), range(0, 255), (a, b) => (a * 7 + b) % 97 === 0);
    const s = planeSummary(cells);
    expect(s.failing).toBeGreaterThan(10);
    expect([s.wholeRows, s.wholeColumns]).toEqual([[], []]);
    const text = lines(cells);
    expect(text).toHaveLength(1);
    expect(text[0]).toMatch(new RegExp(`^${s.failing} of 5,376 values failed, in \\d+ rows \\(p1 [\\d,-]+\\) and \\d+ columns`));
  });

  it('translated is not a failure; nothing failing says so', () => {
    const cells = plane(range(4, 8), range(0, 3), () => true, 'translated');
    expect(lines(cells)).toEqual(['none of 20 values failed']);
  });

  it('one row probed is no "every row"; everything failing is said once', () => {
    expect(planeSummary(plane([9], [1, 2, 3], () => true)).wholeColumns).toEqual([]);
    expect(lines(plane([9, 10], [1, 2], () => true))).toEqual(['4 of 4 values failed, in 2 rows (p1 9-10) and 2 columns (p2 1-2)', 'every value probed failed: the fault does not depend on either field']);
  });

  it('long lists are cut with the count', () => {
    const cells = plane(range(4, 255), range(0, 255), (a, b) => b % 2 === 0 && a % 2 === 0);
    expect(lines(cells)[0]).toMatch(/in 126 rows \(p1 4,6,8,[\d,]+, … \(126 in all\)\) and 128 columns \(p2 0,2,4,[\d,]+, … \(128 in all\)\)$/);
  });
});
