import { describe, expect, it } from 'vitest';
import { resultRow } from '../helpers/rows.js';
import { exitStatus, type ExitFacts } from '../../src/report/exitStatus.js';

const passing = [resultRow(1, 'pass'), resultRow(2, 'translated')];
const failing = [resultRow(1, 'pass'), resultRow(227, 'corrupted')];
const base: ExitFacts = { rows: passing, twoFields: false, probes: 2, missing: [], interrupted: false, stopped: null, baseline: null, baselineWritten: null };
const comparison = (newFailures: string[], unchanged: string[] = []) => ({ source: 'b.csv', newFailures, fixed: [], unchanged, changed: [] });

describe('the exit code summary.json states, and why', () => {
  it.each<[string, Partial<ExitFacts>, number, RegExp]>([
    ['all passed', {}, 0, /^all 2 values passed or were translated$/],
    ['a value failed', { rows: failing }, 1, /^1 of 2 values failed: 227$/],
    ['many failed: eight named', { rows: Array.from({ length: 10 }, (_, v) => resultRow(v, 'timeout')), probes: 10 }, 1, /^10 of 10 values failed: 0, 1, 2, 3, 4, 5, 6, 7, … \(10 in all\)$/],
    ['known failure only', { rows: failing, baseline: comparison([], ['227']) }, 0, /^no value got worse than in the baseline b\.csv \(1 known failure\)$/],
    ['got worse', { rows: failing, baseline: comparison(['227']) }, 1, /^1 value got worse than in the baseline b\.csv: 227$/],
    ['part of the sweep', { missing: ['3-255'], probes: 256 }, 1, /^not every probe was made: 2 of 256/],
    ['the baseline was written, whatever failed', { rows: failing, baseline: comparison(['227']), baselineWritten: 'b/results.csv' }, 0, /^wrote this run's results as the baseline b\/results\.csv \(1 failing value,/],
    ['the caller expects failures (the demo)', { rows: failing, expected: { exitCode: 0, exitReason: 'as expected' } }, 0, /^as expected$/],
    ['SIGINT', { rows: failing, signal: 'SIGINT', interrupted: true, probes: 256 }, 130, /^stopped by SIGINT: 2 of 256 probes done/],
    ['SIGTERM beats a written baseline', { signal: 'SIGTERM', baselineWritten: 'b.csv' }, 143, /^stopped by SIGTERM/],
    ['an abort without a signal name is no signal', { signal: 'AbortError' }, 0, /^all 2 values/],
    ['the target lost beats everything', { stopped: { by: 'target-lost', reason: 'no new connection opens' }, signal: 'SIGINT', baselineWritten: 'b.csv' }, 2, /^stopped before the end: no new connection opens$/],
    ['--max-failures is a result', { rows: failing, probes: 256, interrupted: true, stopped: { by: 'max-failures', reason: '1 value failed, the limit --max-failures 1 sets' } }, 1, /^stopped after 2 of 256 probes: 1 value failed, the limit --max-failures 1 sets$/],
  ])('%s', (_, facts, code, reason) => {
    const status = exitStatus({ ...base, ...facts });
    expect(status.exitCode).toBe(code);
    expect(status.exitReason).toMatch(reason);
  });
});
