/**
 * A sweep's progress on the console, costing the engine a counter per probe: `update` only keeps the
 * latest counts, and a timer renders them — on a terminal a live line redrawn at most 10 times a
 * second, elsewhere (CI logs, pipes) a line every LOG_INTERVAL_MS. The timer runs only while the
 * sweep does (unref'd: it never keeps the process alive), and stop() ends it and clears the line.
 */
import { isFailure, type Verdict } from '../model/judgement.js';
import type { DataCommand, Field } from '../model/plan.js';
import { probeLabel } from '../model/probes.js';
import type { Variant } from '../model/variants.js';
import type { AttemptReport, SweepProgress } from '../sweep/sweepRows.js';
import { attemptLine, earlyDiagnosis, liveLine, logLine } from './progressText.js';
import { monotonicMs } from '../clock.js';

/** A terminal's live line is redrawn this often, in ms (10 times a second at most). */
export const TTY_INTERVAL_MS = 100;
/** A log gets a progress line this often, in ms. */
export const LOG_INTERVAL_MS = 10_000;
/** The early diagnosis looks at this many first values. */
export const DIAGNOSE_AFTER = 16;

/** ANSI: carriage return, then erase the line (ECMA-48 EL). */
const CLEAR = '\r\x1b[K';

export interface ProgressOutput {
  /** Text written as it is, no newline: the live line and its clearing. */
  readonly status: (text: string) => void;
  /** One whole line (a newline is added). */
  readonly line: (text: string) => void;
}

export interface ProgressSettings {
  /** A terminal: a live line redrawn in place. Otherwise a line every `intervalMs`. */
  readonly tty: boolean;
  /** The terminal's width; default 80. */
  readonly columns?: number;
  /** Default TTY_INTERVAL_MS on a terminal, LOG_INTERVAL_MS otherwise. */
  readonly intervalMs?: number;
  /** What the sweep sends, and how it names values: for the diagnosis and --verbose lines. */
  readonly sweep: { readonly command: DataCommand; readonly fields: readonly Field[]; readonly variants: readonly Variant[] };
  /** Print a line per attempt (--verbose). */
  readonly verbose?: boolean;
  /** The clock, in ms; default a monotonic clock. */
  readonly now?: () => number;
}

export class ProgressReporter {
  private latest: SweepProgress | undefined;
  private readonly started: number;
  private readonly timer: NodeJS.Timeout;
  /** The live line on the terminal now, '' when none is drawn. */
  private drawn = '';
  /** The verdict every value so far got, `null` once two differed or the diagnosis was given. */
  private same: Verdict | null | undefined;

  constructor(
    private readonly out: ProgressOutput,
    private readonly settings: ProgressSettings,
  ) {
    const now = settings.now ?? (() => monotonicMs());
    this.started = now();
    this.timer = setInterval(() => this.render(now() - this.started), settings.intervalMs ?? (settings.tty ? TTY_INTERVAL_MS : LOG_INTERVAL_MS));
    this.timer.unref();
  }

  /** The sweep's onProgress hook: keeps the counts, and watches the first values for the diagnosis. */
  readonly update = (p: SweepProgress): void => {
    this.latest = p;
    if (this.same !== null && p.verdict !== undefined) this.watch(p, p.verdict);
  };

  /** The sweep's onAttempt hook, for --verbose. */
  readonly attempt = (a: AttemptReport): void => {
    const { fields, variants } = this.settings.sweep;
    const label = probeLabel(a.probe, fields.length === 2) + (variants.length > 1 ? ` ${a.probe.variant}` : '');
    this.say(attemptLine(label, a.n, a.verdict, a.ms));
  };

  /** Ends the timer and clears the live line. Safe to call twice. */
  stop(): void {
    clearInterval(this.timer);
    if (this.drawn !== '') this.out.status(CLEAR);
    this.drawn = '';
  }

  private watch(p: SweepProgress, verdict: Verdict): void {
    if (this.same === undefined) this.same = verdict;
    else if (this.same !== verdict) this.same = null;
    // This run's values only: a resumed sweep's earlier ones are not "the first values".
    const [done, total] = [p.done - (p.before ?? 0), p.total - (p.before ?? 0)];
    if (this.same === null || done < Math.min(DIAGNOSE_AFTER, total)) return;
    const text = done < total && isFailure(verdict) ? earlyDiagnosis(this.settings.sweep.command, verdict, done) : undefined;
    // Once: after the first values, or when the sweep had fewer (then the report says it all).
    this.same = null;
    if (text !== undefined) this.say(text);
  }

  /** A whole line, under the live line: it is cleared first and redrawn by the next tick. */
  private say(text: string): void {
    if (this.drawn !== '') this.out.status(CLEAR);
    this.drawn = '';
    this.out.line(text);
  }

  private render(elapsedMs: number): void {
    const p: Pick<SweepProgress, 'done' | 'total' | 'failing' | 'before'> = this.latest ?? { done: 0, total: 0, failing: 0 };
    if (p.total === 0) return;
    const snapshot = { done: p.done, total: p.total, failing: p.failing, elapsedMs, before: p.before ?? 0 };
    if (!this.settings.tty) return this.out.line(logLine(snapshot));
    const text = liveLine(snapshot, this.settings.columns ?? 80);
    if (text === this.drawn) return;
    this.out.status(`${CLEAR}${text}`);
    this.drawn = text;
  }
}
