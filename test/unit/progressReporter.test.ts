/**
 * When the progress is written: counts kept on each update and rendered by a timer (vitest's fake
 * timers and an injected clock, so nothing here waits), the early diagnosis once, lines under the
 * live line, and the line cleared at the end.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Verdict } from '../../src/model/judgement.js';
import { DIAGNOSE_AFTER, LOG_INTERVAL_MS, ProgressReporter, TTY_INTERVAL_MS, type ProgressSettings } from '../../src/report/progressReporter.js';

const SWEEP: ProgressSettings['sweep'] = { command: 'PORT', fields: ['p2'], variants: ['plain'] };

let clock = 0;
beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

/** A reporter writing into arrays: `raw` as written, `lines` each whole line. */
function reporter(settings: Partial<ProgressSettings> = {}): { r: ProgressReporter; raw: string[]; lines: string[] } {
  const raw: string[] = [];
  const lines: string[] = [];
  const r = new ProgressReporter({ status: (t) => raw.push(t), line: (t) => (raw.push(`${t}\n`), lines.push(t)) }, { tty: false, sweep: SWEEP, now: () => clock, ...settings });
  return { r, raw, lines };
}

/** Feeds rows with these verdicts, as SweepRows does (a start event first). */
function feed(r: ProgressReporter, total: number, verdicts: readonly Verdict[]): void {
  r.update({ done: 0, total, failing: 0, verdict: undefined });
  let failing = 0;
  verdicts.forEach((verdict, i) => {
    if (verdict !== 'pass') failing++;
    r.update({ done: i + 1, total, failing, verdict });
  });
}

describe('off a terminal', () => {
  it('a line every LOG_INTERVAL_MS, from the start, with done/total, failing, rate and ETA', () => {
    const { r, lines } = reporter();
    feed(r, 256, []);
    clock = LOG_INTERVAL_MS;
    vi.advanceTimersByTime(LOG_INTERVAL_MS - 1);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lines).toEqual(['ftpsweep: 0/256 values (0%), 0 failing, 0.00 values/s, ETA unknown (10s elapsed)']);
    feed(r, 256, Array<Verdict>(64).fill('pass'));
    clock = 2 * LOG_INTERVAL_MS;
    vi.advanceTimersByTime(LOG_INTERVAL_MS);
    expect(lines[1]).toBe('ftpsweep: 64/256 values (25%), 0 failing, 3.2 values/s, ETA 1m00s (20s elapsed)');
    r.stop();
    vi.advanceTimersByTime(10 * LOG_INTERVAL_MS);
    expect(lines).toHaveLength(2);
  });

  it('takes a shorter interval from the library caller', () => {
    const { r, lines } = reporter({ intervalMs: 50 });
    feed(r, 10, ['pass']);
    vi.advanceTimersByTime(200);
    r.stop();
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => /^ftpsweep: 1\/10 values/.test(l))).toBe(true);
  });
});

describe('on a terminal', () => {
  it('redraws one line in place at most every TTY_INTERVAL_MS, within the width, and clears it at the end', () => {
    const { r, raw } = reporter({ tty: true, columns: 40 });
    feed(r, 256, ['pass', 'timeout']);
    expect(raw).toEqual([]); // updates only count
    clock = 1000;
    vi.advanceTimersByTime(TTY_INTERVAL_MS);
    expect(raw).toEqual(['\r\x1b[Ksweeping 2/256 values (0%), 1 failing']);
    vi.advanceTimersByTime(5 * TTY_INTERVAL_MS); // the same text is not written again
    expect(raw).toHaveLength(1);
    r.stop();
    r.stop();
    expect(raw.at(-1)).toBe('\r\x1b[K');
    expect(raw).toHaveLength(2);
  });

  it('a --verbose line clears the live line first; the next tick draws it again', () => {
    const { r, raw } = reporter({ tty: true, columns: 200, verbose: true });
    feed(r, 4, ['pass']);
    clock = 500;
    vi.advanceTimersByTime(TTY_INTERVAL_MS);
    r.attempt({ probe: { value: 227, variant: 'plain', index: 227 }, n: 2, verdict: 'corrupted', ms: 12 });
    expect(raw.slice(1)).toEqual(['\r\x1b[K', 'value 227 attempt 2 (confirmation): corrupted, 12 ms\n']);
    vi.advanceTimersByTime(TTY_INTERVAL_MS);
    expect(raw.at(-1)).toMatch(/^\r\x1b\[Ksweeping 1\/4 values/);
    r.stop();
  });
});

describe('the early diagnosis', () => {
  it('once, when the first values all fail the same way', () => {
    const { r, lines } = reporter();
    feed(r, 256, Array<Verdict>(DIAGNOSE_AFTER + 10).fill('timeout'));
    r.stop();
    expect(lines).toEqual([`ftpsweep: every PORT times out so far (first ${DIAGNOSE_AFTER} values): PORT may be blocked outright — check the firewall's FTP rules; the sweep goes on`]);
  });

  it('not when one of the first values differs, nor when they pass', () => {
    for (const verdicts of [[...Array<Verdict>(DIAGNOSE_AFTER - 1).fill('timeout'), 'reset'], Array<Verdict>(DIAGNOSE_AFTER).fill('pass'), [...Array<Verdict>(DIAGNOSE_AFTER - 1).fill('timeout'), 'pass', 'timeout']] as Verdict[][]) {
      const { r, lines } = reporter();
      feed(r, 256, verdicts);
      r.stop();
      expect(lines).toEqual([]);
    }
  });

  it('not for a sweep done before it could help: the report says it all', () => {
    const { r, lines } = reporter();
    feed(r, 8, Array<Verdict>(8).fill('timeout'));
    r.stop();
    expect(lines).toEqual([]);
  });
});
