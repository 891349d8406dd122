/**
 * The progress text, pure: durations and rates as a status line shows them, the live line within
 * the terminal's width, the CI-log line, the early diagnosis and the --verbose line.
 */
import { describe, expect, it } from 'vitest';
import { attemptLine, earlyDiagnosis, formatDuration, formatRate, liveLine, logLine, type ProgressSnapshot } from '../../src/report/progressText.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1s'],
    [999, '1s'],
    [43_000, '43s'],
    [59_001, '1m00s'],
    [125_000, '2m05s'],
    [3_599_000, '59m59s'],
    [3_600_000, '1h00m'],
    [3_720_000, '1h02m'],
    [-5, '0s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatRate', () => {
  it.each([
    [0, '0.00'],
    [0.27, '0.27'],
    [4.84, '4.8'],
    [9.94, '9.9'],
    [212.4, '212'],
  ])('%d values/s → %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });
});

const midway: ProgressSnapshot = { done: 48, total: 256, failing: 3, elapsedMs: 10_000 };

describe('liveLine', () => {
  it('says done/total with the share, the failing count, the rate and the ETA', () => {
    // 48 values in 10 s: 4.8 values/s; 208 left: 43.3 s, shown rounded up.
    expect(liveLine(midway, 120)).toBe('sweeping 48/256 values (18%), 3 failing, 4.8 values/s, ETA 44s');
  });

  it('has no ETA before the first value is done, and 0s once all are', () => {
    expect(liveLine({ done: 0, total: 256, failing: 0, elapsedMs: 15_000 }, 120)).toBe('sweeping 0/256 values (0%), 0 failing, 0.00 values/s, ETA unknown');
    expect(liveLine({ done: 256, total: 256, failing: 1, elapsedMs: 500 }, 120)).toMatch(/256\/256 values \(100%\), 1 failing, 512 values\/s, ETA 0s$/);
  });

  it('never reaches the last column: the rate goes first, then the ETA, then the failing count', () => {
    const full = liveLine(midway, 200);
    for (let columns = 1; columns <= full.length + 2; columns++) {
      const line = liveLine(midway, columns);
      expect(line.length, `at ${columns} columns`).toBeLessThanOrEqual(Math.max(1, columns - 1));
    }
    expect(liveLine(midway, full.length)).toBe('sweeping 48/256 values (18%), 3 failing, ETA 44s');
    expect(liveLine(midway, 'sweeping 48/256 values (18%), 3 failing'.length + 1)).toBe('sweeping 48/256 values (18%), 3 failing');
    expect(liveLine(midway, 'sweeping 48/256 values (18%)'.length + 1)).toBe('sweeping 48/256 values (18%)');
    expect(liveLine(midway, 10)).toBe('48/256');
    expect(liveLine(midway, 4)).toBe('48/');
  });
});

describe('logLine', () => {
  it('has every part, and the time elapsed', () => {
    expect(logLine(midway)).toBe('ftpsweep: 48/256 values (18%), 3 failing, 4.8 values/s, ETA 44s (10s elapsed)');
  });
});

describe('earlyDiagnosis', () => {
  it('names the command and what to check', () => {
    expect(earlyDiagnosis('PORT', 'timeout', 16)).toBe(
      "ftpsweep: every PORT times out so far (first 16 values): PORT may be blocked outright — check the firewall's FTP rules; the sweep goes on",
    );
    expect(earlyDiagnosis('EPRT', 'no-data', 16)).toMatch(/^ftpsweep: no EPRT got its data connection so far \(first 16 values\): the server's connections back/);
    expect(earlyDiagnosis('PASV', 'no-data', 16)).toMatch(/no PASV offer could be connected to so far .*passive FTP/);
    for (const verdict of ['rejected', 'reset', 'corrupted', 'error'] as const) expect(earlyDiagnosis('PORT', verdict, 8)).toMatch(/\(first 8 values\): .+; the sweep goes on$/);
  });

  it('says nothing about values that pass', () => {
    expect(earlyDiagnosis('PORT', 'pass', 16)).toBeUndefined();
    expect(earlyDiagnosis('PORT', 'translated', 16)).toBeUndefined();
  });
});

describe('attemptLine', () => {
  it('value, attempt, verdict and time', () => {
    expect(attemptLine('227', 1, 'corrupted', 14.4)).toBe('value 227 attempt 1: corrupted, 14 ms');
    expect(attemptLine('227 trailing-space', 3, 'timeout', 5003)).toBe('value 227 trailing-space attempt 3 (confirmation): timeout, 5003 ms');
  });
});

describe('a resumed sweep', () => {
  const rateOf = (line: string): string => /, ([\d.]+ values\/s),/.exec(line)![1]!;

  it('counts the earlier run\'s values as done and failing, but not in the rate or the ETA', () => {
    const resumed = logLine({ done: 15, total: 100, failing: 12, elapsedMs: 10_000, before: 5 });
    const alone = logLine({ done: 10, total: 95, failing: 7, elapsedMs: 10_000 });
    expect(resumed).toMatch(/^ftpsweep: 15\/100 values \(15%\), 12 failing, /);
    expect(rateOf(resumed)).toBe(rateOf(alone));
    expect(/ETA (\S+)/.exec(resumed)![1]).toBe(/ETA (\S+)/.exec(alone)![1]);
  });

  it('says the time passed rounded down: a line 10.02 s in says 10s, not 11s', () => {
    expect(logLine({ done: 1, total: 9, failing: 0, elapsedMs: 10_020 })).toMatch(/\(10s elapsed\)$/);
  });
});
