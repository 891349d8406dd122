import { describe, expect, it } from 'vitest';
import { resultRow } from '../helpers/rows.js';
import { compareWithBaseline } from '../../src/report/baseline.js';

describe('baseline comparison', () => {
  const before = [resultRow(1, 'pass'), resultRow(2, 'corrupted'), resultRow(3, 'no-data'), resultRow(4, 'timeout'), resultRow(5, 'error'), resultRow(6, 'translated')];
  const now = [resultRow(1, 'corrupted'), resultRow(2, 'corrupted'), resultRow(3, 'pass'), resultRow(4, 'reset'), resultRow(5, 'rejected'), resultRow(6, 'pass'), resultRow(7, 'timeout'), resultRow(8, 'pass')];
  const c = compareWithBaseline(now, before, 'old/results.csv');

  it.each([
    ['pass → corrupted is a new failure', 'newFailures', ['1', '5', '7']],
    ['failing → pass is fixed', 'fixed', ['3']],
    ['the same failure is unchanged', 'unchanged', ['2']],
  ] as const)('%s', (_, key, values) => {
    expect(c[key]).toEqual(values);
  });

  it('a different failure is listed but is not worse (both fail)', () => {
    expect(c.changed).toEqual([{ value: '4', from: 'timeout', to: 'reset' }]);
  });

  it('translated → pass changes nothing', () => {
    expect([...c.newFailures, ...c.fixed, ...c.unchanged, ...c.changed.map((x) => x.value)]).not.toContain('6');
  });
});
