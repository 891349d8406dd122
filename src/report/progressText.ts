/**
 * The text of a sweep's progress, pure: the live line a terminal redraws, the line a CI log gets
 * every few seconds, the early diagnosis when the first values all fail alike, and the line per
 * attempt of --verbose. progressReporter.ts decides when each is written.
 */
import type { DataCommand } from '../model/plan.js';
import type { Verdict } from '../model/judgement.js';

/** Where a sweep stands: probes done of all, failing so far, and ms since it started. */
export interface ProgressSnapshot {
  readonly done: number;
  readonly total: number;
  readonly failing: number;
  readonly elapsedMs: number;
  /** Of `done`, the values an earlier run did (`--resume`): counted, but not in the rate. */
  readonly before?: number;
}

/**
 * `43s`, `2m05s`, `1h02m`: a duration to the second, as short as a status line needs; rounded up
 * for what is left (an ETA never says 0s early), down for what has passed (10.02 s is `10s`).
 */
export function formatDuration(ms: number, round: (x: number) => number = Math.ceil): string {
  const seconds = Math.max(0, round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Values per second with the digits that matter: `0.27`, `4.8`, `212`. */
export function formatRate(perSecond: number): string {
  if (perSecond < 1) return perSecond.toFixed(2);
  if (perSecond < 10) return perSecond.toFixed(1);
  return String(Math.round(perSecond));
}

/**
 * The parts of a progress line, most important first: done/total, failing, ETA, rate. The rate is
 * the average since the start; before any value is done there is no ETA to give.
 */
function parts(s: ProgressSnapshot): { readonly done: string; readonly failing: string; readonly eta: string; readonly rate: string } {
  const percent = s.total === 0 ? 100 : Math.floor((s.done * 100) / s.total);
  const perSecond = s.elapsedMs > 0 ? ((s.done - (s.before ?? 0)) * 1000) / s.elapsedMs : 0;
  const left = s.total - s.done;
  const eta = left === 0 ? 'ETA 0s' : perSecond > 0 ? `ETA ${formatDuration((left / perSecond) * 1000)}` : 'ETA unknown';
  return { done: `${s.done}/${s.total} values (${percent}%)`, failing: `${s.failing} failing`, eta, rate: `${formatRate(perSecond)} values/s` };
}

/**
 * The line a terminal redraws in place, at most `columns - 1` characters wide (a line that reaches
 * the last column wraps on some terminals, and `\r` then redraws only its second half): the rate
 * goes first when it does not fit, then the ETA, then the failing count, then all but done/total.
 */
export function liveLine(s: ProgressSnapshot, columns: number): string {
  const p = parts(s);
  const width = Math.max(1, columns - 1);
  const choices = [
    [p.done, p.failing, p.rate, p.eta],
    [p.done, p.failing, p.eta],
    [p.done, p.failing],
    [p.done],
  ];
  for (const choice of choices) {
    const line = `sweeping ${choice.join(', ')}`;
    if (line.length <= width) return line;
  }
  return `${s.done}/${s.total}`.slice(0, width);
}

/** The line a log (CI, a file, a pipe) gets every LOG_INTERVAL_MS: every part, never cut. */
export function logLine(s: ProgressSnapshot): string {
  const p = parts(s);
  return `ftpsweep: ${p.done}, ${p.failing}, ${p.rate}, ${p.eta} (${formatDuration(s.elapsedMs, Math.floor)} elapsed)`;
}

/** What it means when every one of the first values failed the same way, and where to look. */
const MEANING: Readonly<Record<Exclude<Verdict, 'pass' | 'translated'>, (c: DataCommand) => string>> = {
  timeout: (c) => `every ${c} times out so far`,
  'no-data': (c) => (c === 'PASV' || c === 'EPSV' ? `no ${c} offer could be connected to so far` : `no ${c} got its data connection so far`),
  rejected: (c) => `every ${c} is rejected so far`,
  reset: (c) => `every ${c} ends in a reset connection so far`,
  corrupted: (c) => `every ${c} arrives corrupted so far`,
  error: (c) => `every ${c} ends in a local error so far`,
};

const ADVICE: Readonly<Record<Exclude<Verdict, 'pass' | 'translated'>, (c: DataCommand) => string>> = {
  timeout: (c) => `${c} may be blocked outright — check the firewall's FTP rules`,
  'no-data': (c) =>
    c === 'PASV' || c === 'EPSV'
      ? 'data connections to the server may be blocked — check the firewall\'s FTP helper and rules for passive FTP'
      : 'the server\'s connections back to this machine may be blocked — check the firewall\'s FTP helper and any firewall on this machine (or sweep with --oracle reply)',
  rejected: (c) => `the server (or something answering for it) refuses ${c} itself, not some values — ftpsweep probe --value V shows the dialogue`,
  reset: (c) => `something between may close every session that sends ${c} — check the firewall's FTP inspection`,
  corrupted: (c) => `the firewall may rewrite every ${c}, not only some values — check its FTP inspection`,
  error: () => 'the trouble is on this machine, not the firewall — see the detail of the rows in results.csv',
};

/**
 * The early diagnosis, once the first `count` values all got the same failing `verdict`; undefined
 * for a verdict that passes. E.g. "every PORT times out so far (first 16 values): PORT may be
 * blocked outright — check the firewall's FTP rules".
 */
export function earlyDiagnosis(command: DataCommand, verdict: Verdict, count: number): string | undefined {
  if (verdict === 'pass' || verdict === 'translated') return undefined;
  return `ftpsweep: ${MEANING[verdict](command)} (first ${count} values): ${ADVICE[verdict](command)}; the sweep goes on`;
}

/** --verbose: one attempt, as it finishes. `label` names the value (and variant, if several). */
export function attemptLine(label: string, n: number, verdict: Verdict, ms: number): string {
  return `value ${label} ${n === 1 ? 'attempt 1' : `attempt ${n} (confirmation)`}: ${verdict}, ${Math.round(ms)} ms`;
}
