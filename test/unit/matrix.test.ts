import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { resultRow, sweptResults } from '../helpers/rows.js';
import { matrixCsv, matrixText, verdictGrid } from '../../src/report/matrix.js';

describe('matrix', () => {
  it('is 16 × 16 with row labels 0,16,…,240 and columns +0..+15', () => {
    const rows = parse(matrixCsv(sweptResults())) as string[][];
    expect(rows).toHaveLength(17);
    expect(rows[0]).toEqual(['', ...Array.from({ length: 16 }, (_, c) => `+${c}`)]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(Array.from({ length: 16 }, (_, r) => String(r * 16)));
    expect(rows.every((r) => r.length === 17)).toBe(true);
    // 227 = 224 + 3: row of 224, column +3.
    expect(rows[15]![4]).toBe('corrupted');
    expect(rows.slice(1).flatMap((r) => r.slice(1)).filter((c) => c === 'pass')).toHaveLength(255);
  });

  it('leaves values that were not probed empty', () => {
    const grid = verdictGrid(sweptResults().filter((r) => r.value < 10));
    expect(grid[0]![9]).toBe('pass');
    expect(grid[0]![10]).toBeUndefined();
    expect(grid[15]![15]).toBeUndefined();
  });

  it('marks failures in the console picture', () => {
    const text = matrixText(sweptResults());
    const row224 = text.split('\n').find((l) => l.trimStart().startsWith('224'))!;
    expect(row224.split(/\s+/).filter(Boolean)).toEqual(['224', '.', '.', '.', 'C', ...Array(12).fill('.')]);
  });
});

describe('console matrix of a 2-D sweep', () => {
  it('says the plane in words: the column that fails in every row', () => {
    const rows = [4, 5, 6].flatMap((p1) => [226, 227].map((p2) => resultRow(p1 * 256 + p2, p2 === 227 ? 'corrupted' : 'pass')));
    expect(matrixText(rows, ['p1', 'p2']).split('\n')).toEqual([
      '2-D sweep (row = p1, column = p2; the 256 × 256 picture is in matrix.csv and report.html):',
      '  3 of 6 values failed, in 3 rows (p1 4-6) and 1 column (p2 227)',
      '  p2 227 fails in every row: whatever p1 is',
    ]);
  });
});
